"""The demo municipality of `make run` (Gemeente Havenwaard): its teams and users, synthetic
reports, cases and a small network of subjects, loaded by `baken demo-setup` and
`baken demo-data`. The top layer of the apps (docs/adr/0026-layers-of-apps.md): it may use every
app, and no app uses it."""
