// Progress for the import pages' long submits: the upload of a plan and the commit of a reviewed one.
//
// A form marked data-import-progress="…/TOKEN/" is sent with XMLHttpRequest instead of the usual
// post, so the page can show the bytes going up and then the stage the server reports under a
// random token (GET the marked URL with TOKEN replaced). When the answer comes, the page becomes
// that answer at its URL: the review page after an upload, the plan after a commit, or the same
// page with its error. Without this script, or in a browser without what it needs, the form posts
// as it always did. Texts come translated from data attributes on the [data-progress-box].
(function () {
  "use strict";

  var POLL_MS = 500;

  function newToken() {
    // crypto.randomUUID needs a secure context; offices often reach the server over plain http.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function megabytes(n) {
    return (n / 1048576).toFixed(1) + " MB";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  function showResponse(xhr) {
    // The answer is a whole page (after any redirect): show it as if the browser had loaded it, so
    // it is rendered once and its one-time messages (已导入) are not lost to a second request.
    if (xhr.responseURL) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-import-progress")) return;
    var box = form.querySelector("[data-progress-box]");
    var wanted = form.getAttribute("data-progress-submitter");
    var submitter = event.submitter;
    if (!box || !window.FormData || !window.fetch || !window.crypto || !window.crypto.getRandomValues) return;
    // On the review page only 确认导入 is long; 放弃 (or an unknown button) posts as usual.
    if (wanted && !(submitter && submitter.name === wanted)) return;
    event.preventDefault();

    var token = newToken();
    form.elements.progress_token.value = token;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var pollUrl = form.getAttribute("data-import-progress").replace("TOKEN", token);

    var bar = box.querySelector("progress");
    var text = box.querySelector(".import-progress-text");
    var buttons = form.querySelectorAll("button, input[type=submit]");
    var finished = false;
    var polling = null;

    function say(message, fraction) {
      text.textContent = message;
      if (fraction === null || fraction === undefined) bar.removeAttribute("value");
      else bar.value = Math.round(fraction * 100);
    }

    function setBusy(busy) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
    }

    function poll() {
      polling = null;
      fetch(pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return r.status === 200 && json ? r.json() : null;
        })
        .catch(function () { return null; })
        .then(function (p) {
          if (finished) return;
          // Done means the answer page is on its way: say so rather than a bare 完成.
          if (p && p.state === "done") say(box.dataset.opening, 1);
          else if (p && p.stage) say(p.state === "failed" && p.message ? p.message : p.stage, p.fraction);
          polling = window.setTimeout(poll, POLL_MS);
        });
    }

    function stop() {
      finished = true;
      if (polling) window.clearTimeout(polling);
    }

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor((100 * e.loaded) / e.total) + "%";
      say(fill(box.dataset.uploading, { percent: percent, sent: megabytes(e.loaded), total: megabytes(e.total) }),
        e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", function () {
      // Everything is sent; from here on only the server knows how far it is.
      say(box.dataset.processing, null);
      if (!finished && !polling) polling = window.setTimeout(poll, POLL_MS);
    });
    xhr.addEventListener("load", function () {
      stop();
      say(box.dataset.opening, 1);
      showResponse(xhr);
    });
    xhr.addEventListener("error", function () {
      stop();
      say(box.dataset.networkError, 0);
      setBusy(false);
    });

    box.hidden = false;
    say(fill(box.dataset.uploading, { percent: "0%", sent: megabytes(0), total: "…" }), 0);
    setBusy(true);
    // A form without a file (the review's thousands of fields) goes url-encoded, as the browser
    // itself would send it: the server reads that several times faster than multipart.
    var hasFile = form.querySelector("input[type=file]") !== null;
    xhr.send(hasFile || !window.URLSearchParams ? data : new URLSearchParams(data));
  }

  // Written pages run this script again: drop the listener of the page before, if it survived.
  if (window.luoshiImportSubmit) document.removeEventListener("submit", window.luoshiImportSubmit);
  window.luoshiImportSubmit = onSubmit;
  document.addEventListener("submit", onSubmit);
})();
