/* The reporting page: one step at a time, a pin on the map, sending in the background, and
   an outbox on the device for reports written without a connection. Without JavaScript the
   page is one ordinary form that works the same. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var text = form.dataset;
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var current = 0;
  var back = document.getElementById("step-back");
  var next = document.getElementById("step-next");
  var submit = document.getElementById("submit");
  var progress = document.getElementById("progress");
  var outbox = document.getElementById("outbox");

  function format(template, values) {
    return template.replace(/%s/g, function () { return values.shift(); });
  }

  /* ---- steps ---- */
  function show(index, focus) {
    current = index;
    steps.forEach(function (step, i) { step.hidden = i !== index; });
    back.hidden = index === 0;
    next.hidden = index === steps.length - 1;
    submit.hidden = index !== steps.length - 1;
    progress.hidden = false;
    progress.textContent = format(text.stepText, [String(index + 1), String(steps.length)]);
    if (focus) {
      var legend = steps[index].querySelector("legend");
      legend.setAttribute("tabindex", "-1");
      legend.focus();
    }
    if (steps[index].querySelector("#map")) { initMap(); }
  }

  function stepProblem(index) {
    var description = steps[index].querySelector("#f-description");
    if (description && description.value.trim().length < 10) {
      return [description, text.descriptionShort];
    }
    return null;
  }

  function clearInlineError(field) {
    var old = document.getElementById(field.id + "-jserror");
    if (old) { old.remove(); }
    field.removeAttribute("aria-invalid");
  }

  function inlineError(field, message) {
    clearInlineError(field);
    var p = document.createElement("p");
    p.className = "field-error";
    p.id = field.id + "-jserror";
    p.textContent = message;
    field.parentNode.insertBefore(p, field);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + p.id).trim());
    field.focus();
  }

  next.addEventListener("click", function () {
    var problem = stepProblem(current);
    if (problem) { inlineError(problem[0], problem[1]); return; }
    if (problem === null && steps[current].querySelector("#f-description")) {
      clearInlineError(steps[current].querySelector("#f-description"));
    }
    show(Math.min(current + 1, steps.length - 1), true);
  });
  back.addEventListener("click", function () { show(Math.max(current - 1, 0), true); });

  /* ---- category questions: only those of the chosen category ---- */
  function syncQuestions() {
    var chosen = form.querySelector("input[name=category]:checked");
    form.querySelectorAll(".questions").forEach(function (block) {
      block.hidden = !chosen || block.dataset.category !== chosen.value;
    });
  }
  /* A sign ticked is a choice of its category: the signs of the category chosen are the
     ones sent (without JavaScript the reporter picks the category themselves). */
  function chooseCategoryOf(checkbox) {
    var group = checkbox.closest(".sign-choices");
    var radio = group && document.getElementById("cat-" + group.dataset.category);
    if (checkbox.checked && radio && !radio.checked) {
      radio.checked = true;
      syncQuestions();
      untickOtherSigns();
    }
  }
  /* Another category chosen: the signs ticked under the others no longer apply. */
  function untickOtherSigns() {
    var chosen = form.querySelector("input[name=category]:checked");
    form.querySelectorAll(".sign-choices").forEach(function (group) {
      if (chosen && group.dataset.category === chosen.value) { return; }
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "category") { syncQuestions(); untickOtherSigns(); }
    if (event.target.type === "checkbox") { chooseCategoryOf(event.target); }
    if (event.target.name === "identity") { syncIdentity(); }
  });

  /* ---- who are you ---- */
  function syncIdentity() {
    var named = form.querySelector("#identity-named").checked;
    document.getElementById("named-fields").hidden = !named;
  }

  /* ---- photos ---- */
  var photos = document.getElementById("f-photos");
  var photoList = document.getElementById("photo-list");
  photos.addEventListener("change", function () {
    photoList.textContent = "";
    Array.prototype.forEach.call(photos.files, function (file) {
      var li = document.createElement("li");
      li.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " kB)";
      photoList.appendChild(li);
    });
  });

  /* ---- map ---- */
  var map = null;
  var marker = null;
  function setPin(latlng) {
    document.getElementById("lat").value = latlng.lat.toFixed(6);
    document.getElementById("lon").value = latlng.lng.toFixed(6);
    document.getElementById("pin-status").textContent =
      format(text.pinText, [latlng.lat.toFixed(5), latlng.lng.toFixed(5)]);
    document.getElementById("clear-pin").hidden = false;
  }
  /* One pin: placed by a tap, by Enter or Space on the map (the arrow keys move the map
     under the crosshair in its middle), or by the button; dragged by mouse or finger. */
  function placePin(latlng) {
    if (marker) { marker.setLatLng(latlng); } else {
      marker = window.L.marker(latlng, { draggable: true, keyboard: false, title: text.pinTitle, alt: text.pinTitle }).addTo(map);
      marker.on("dragend", function () { setPin(marker.getLatLng()); });
    }
    setPin(latlng);
  }
  function initMap() {
    if (map || !window.L) { return; }
    var element = document.getElementById("map");
    element.hidden = false;
    var center = (text.center || "52.37,4.89").split(",").map(Number);
    map = window.L.map(element, { attributionControl: Boolean(text.tiles) }).setView(center, 15);
    window.BakenMaps.localise(map, text);
    if (text.tiles) {
      window.L.tileLayer(text.tiles, { maxZoom: 19 }).addTo(map);
    } else {
      element.classList.add("map--no-tiles");
    }
    map.on("click", function (event) { placePin(event.latlng); });
    // While an arrow key's pan is still moving the map, its centre is not yet where the
    // crosshair will stop: place the pin when the move ends.
    var moving = false;
    map.on("movestart", function () { moving = true; });
    map.on("moveend", function () { moving = false; });
    element.addEventListener("keydown", function (event) {
      if (event.target !== element || (event.key !== "Enter" && event.key !== " ")) { return; }
      event.preventDefault();
      if (moving) {
        map.once("moveend", function () { placePin(map.getCenter()); });
      } else {
        placePin(map.getCenter());
      }
    });
    var centre = document.getElementById("centre-pin");
    centre.hidden = false;
    centre.addEventListener("click", function () { placePin(map.getCenter()); });
    document.getElementById("map-keys").hidden = false;
    var lat = document.getElementById("lat").value;
    var lon = document.getElementById("lon").value;
    if (lat && lon) {
      placePin(window.L.latLng(Number(lat), Number(lon)));
    }
  }
  document.getElementById("clear-pin").addEventListener("click", function () {
    if (marker) { map.removeLayer(marker); marker = null; }
    document.getElementById("lat").value = "";
    document.getElementById("lon").value = "";
    document.getElementById("pin-status").textContent = text.pinCleared;
    this.hidden = true;
  });

  /* ---- postcode lookup in the local address register ---- */
  var postcodeField = document.getElementById("f-location_postcode");
  var numberField = document.getElementById("f-location_house_number");
  function lookup() {
    var postcode = postcodeField.value.trim();
    var number = numberField.value.trim();
    if (!postcode || !/^[0-9]+$/.test(number) || !navigator.onLine) { return; }
    // Posted, not in the URL: what a reporter looks up never lands in an access log.
    fetch(text.lookup, {
      method: "POST",
      headers: { "Accept": "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ postcode: postcode, house_number: Number(number) })
    })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        var status = document.getElementById("address-status");
        if (!found.length) { status.textContent = text.addressUnknown; return; }
        var address = found[0];
        document.getElementById("f-location_street").value = address.street;
        document.getElementById("f-location_city").value = address.city;
        status.textContent = format(text.addressFound, [address.street + " " + address.house_number + ", " + address.city]);
        if (address.point && !document.getElementById("lat").value) {
          document.getElementById("lat").value = address.point.lat;
          document.getElementById("lon").value = address.point.lon;
          if (map && window.L) {
            placePin(window.L.latLng(address.point.lat, address.point.lon));
            map.setView([address.point.lat, address.point.lon], 17);
          }
        }
      })
      .catch(function () { /* offline or no register: the reporter types the address */ });
  }
  postcodeField.addEventListener("change", lookup);
  numberField.addEventListener("change", lookup);
  // The button is the way without JavaScript; here the lookup runs as the reporter types.
  document.getElementById("address-lookup").hidden = true;

  /* ---- the outbox (IndexedDB) ---- */
  function openOutbox() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("baken-outbox", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("reports", { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function outboxDo(mode, action) {
    return openOutbox().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("reports", mode);
        var result = action(tx.objectStore("reports"));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function entriesOf(formData) {
    var entries = [];
    formData.forEach(function (value, name) { entries.push([name, value]); });
    return entries;
  }
  function formDataOf(entries) {
    // The CSRF token saved with the report may have expired since; this page's token is fresh.
    var data = new FormData();
    entries.forEach(function (entry) {
      if (entry[0] !== "csrfmiddlewaretoken") { data.append(entry[0], entry[1]); }
    });
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token) { data.append("csrfmiddlewaretoken", token.value); }
    return data;
  }

  function showOutbox(message) {
    outbox.hidden = false;
    outbox.textContent = message;
  }

  var sending = false;
  var retryTimer = null;
  function retryLater() {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () { retryTimer = null; flushOutbox(); }, 60000);
    }
  }
  function flushOutbox() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    return outboxDo("readonly", function (store) { return store.getAll(); })
      .then(function (items) {
        return items.reduce(function (chain, item) {
          return chain.then(function () {
            return send(formDataOf(item.entries)).then(function (result) {
              if (result.ok) {
                return outboxDo("readwrite", function (store) { return store.delete(item.key); })
                  .then(function () { showOutbox(text.outboxSent); showReceipt(result.body); });
              }
              if (result.status === 400 || result.status === 403 || result.status === 409) {
                // Sending again cannot help: the reporter is told to fill in the form anew.
                return outboxDo("readwrite", function (store) { return store.delete(item.key); })
                  .then(function () { showOutbox(text.outboxRejected); });
              }
              // Too many reports at once, or the server is down: keep it and try again later.
              showOutbox(text.outboxWaiting);
              retryLater();
              return null;
            });
          });
        }, Promise.resolve());
      })
      .catch(function () { retryLater(); /* and at the next 'online' event */ })
      .then(function () { sending = false; });
  }

  function queue(formData) {
    var key = formData.get("idempotency_key");
    return outboxDo("readwrite", function (store) { return store.put({ key: key, entries: entriesOf(formData) }); })
      .then(function () {
        form.hidden = true;
        showOutbox(text.outboxWaiting);
      });
  }

  /* ---- sending ---- */
  function send(formData) {
    return fetch(text.endpoint, {
      method: "POST",
      body: formData,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.status === 200 || response.status === 201, status: response.status, body: body };
      });
    });
  }

  /* The same error summary as the page without JavaScript (core/_form_errors.html): a
     heading and each problem linked to its field, focused; baken/js/errors.js follows a
     link, and "baken:reveal" below first shows the step the field is in. */
  function summarise(problems) {
    var old = document.querySelector(".error-summary");
    if (old) { old.remove(); }
    var summary = document.createElement("div");
    summary.className = "alert alert--error error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    var title = document.createElement("h2");
    title.className = "alert__title";
    title.id = "error-summary-title";
    title.textContent = text.summaryTitle;
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement(problem[0] ? "a" : "span");
      if (problem[0]) { link.href = "#" + problem[0]; }
      link.textContent = problem[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(title);
    summary.appendChild(list);
    form.parentNode.insertBefore(summary, form);
    summary.focus();
  }

  form.addEventListener("baken:reveal", function (event) {
    var step = steps.indexOf(event.target.closest(".step"));
    if (step >= 0 && step !== current) { show(step, false); }
  });

  function showErrors(fieldErrors) {
    var firstStep = null;
    var problems = [];
    Object.keys(fieldErrors).forEach(function (name) {
      var field = document.getElementById("f-" + name) || form.querySelector("[name='" + name + "']");
      fieldErrors[name].forEach(function (message) { problems.push([field && field.id, message]); });
      if (!field) { return; }
      var step = steps.indexOf(field.closest(".step"));
      if (firstStep === null || step < firstStep) { firstStep = step; }
      inlineError(field, fieldErrors[name].join(" "));
    });
    if (firstStep !== null && firstStep >= 0) { show(firstStep, false); }
    summarise(problems);
  }

  function byField(params) {
    var found = {};
    params.forEach(function (param) { (found[param.name] = found[param.name] || []).push(param.reason); });
    return found;
  }

  function showReceipt(body) {
    var fragment = document.getElementById("done-template").content.cloneNode(true);
    fragment.querySelector("[data-reference]").textContent = body.reference;
    fragment.querySelector("[data-receipt-code]").textContent = body.receipt_code;
    form.hidden = true;
    // The receipt code is shown only now: no link that leads away from it stands above it.
    document.querySelectorAll("[data-before-report]").forEach(function (link) {
      link.hidden = true;
    });
    form.parentNode.insertBefore(fragment, form);
    var heading = document.getElementById("receipt-title");
    if (heading) { heading.focus(); }
  }

  /* A browser stops typing and pasting at a field's maxlength, but a value put in by a
     script or an extension is not held to it: named here before anything is sent. */
  function tooLong() {
    var found = {};
    form.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(function (field) {
      var limit = Number(field.getAttribute("maxlength"));
      if (field.value.length > limit) {
        found[field.id.replace(/^f-/, "")] = [format(text.tooLong, [String(limit)])];
      }
    });
    return found;
  }

  /* A paste longer than the field's maxlength is cut by the browser without a word: say so,
     with the limit, while the reporter still has the text to shorten. */
  form.addEventListener("paste", function (event) {
    var field = event.target;
    var limit = Number(field.getAttribute && field.getAttribute("maxlength"));
    if (!limit || !event.clipboardData) { return; }
    var selected = (field.selectionEnd || 0) - (field.selectionStart || 0);
    var length = field.value.length - selected + event.clipboardData.getData("text").length;
    if (length > limit) {
      inlineError(field, format(text.tooLong, [String(limit)]) + " " + text.pasteCut);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // Enter in a field before the last step: on to the next step, as "Next" does.
    if (current < steps.length - 1) { next.click(); return; }
    var keyField = document.getElementById("idempotency_key");
    if (!keyField.value) {
      keyField.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() :
        String(Date.now()) + "-" + Math.random().toString(36).slice(2);
    }
    var long = tooLong();
    if (Object.keys(long).length) { showErrors(long); return; }
    var formData = new FormData(form);
    if (!navigator.onLine) { queue(formData); return; }
    submit.disabled = true;
    send(formData).then(function (result) {
      submit.disabled = false;
      if (result.ok) { showReceipt(result.body); return; }
      if (result.status === 400 && result.body.field_errors) { showErrors(result.body.field_errors); return; }
      // Refused before the form was read (core/input_guard.py): problem+json naming the field.
      if (result.status === 400 && result.body.invalid_params) { showErrors(byField(result.body.invalid_params)); return; }
      // Too large to read (a huge paste): sending again cannot help; the form keeps it all.
      if (result.status === 413 && result.body.title) { summarise([[null, result.body.title]]); return; }
      showOutbox(result.body.title || text.sendFailed);
    }, function () {
      submit.disabled = false;
      queue(formData);
    });
  });

  window.addEventListener("online", flushOutbox);

  /* ---- start ---- */
  syncQuestions();
  syncIdentity();
  var firstError = form.querySelector("[aria-invalid=true]");
  show(firstError ? steps.indexOf(firstError.closest(".step")) : 0, false);
  if ("serviceWorker" in navigator && text.sw) {
    navigator.serviceWorker.register(text.sw, { scope: "/melden" }).catch(function () { /* optional */ });
  }
  flushOutbox();
}());
