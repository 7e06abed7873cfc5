// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) {
    summary.focus();
    return;
  }
  focusNewRow();
  // The browser focuses the fragment's target (the row, tabindex=-1) once the page is laid
  // out, which can be after this handler: move on into the field again then.
  window.addEventListener("load", focusNewRow);
});

// After "Add a row" the page opens at the new row (#prefix-row-N): put the cursor in its
// first field, so keyboard and screen-reader users continue where the row appeared. Without
// JavaScript the browser still focuses the row itself.
function focusNewRow() {
  if (!/^#[\w-]+-row-\d+$/.test(window.location.hash)) {
    return;
  }
  var row = document.getElementById(window.location.hash.slice(1));
  if (!row || (row.contains(document.activeElement) && document.activeElement !== row)) {
    return;
  }
  var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
  (first || row).focus();
}

// Self-assessment: keep the "x van y vragen beantwoord" counters current while answering.
// Saving stays explicit ("Opslaan"); this only updates the progress shown.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector(".assessment-form");
  if (!form) {
    return;
  }
  function answeredIn(root) {
    var names = {};
    root.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      names[input.name] = true;
    });
    return Object.keys(names).length;
  }
  function show(progressId, count) {
    var progress = document.getElementById(progressId);
    if (!progress) {
      return;
    }
    progress.value = count;
    document.querySelectorAll("label[for='" + progressId + "']").forEach(function (label) {
      label.textContent = label.textContent.replace(/^\s*\d+/, String(count));
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") {
      return;
    }
    var section = event.target.closest(".assessment-theme");
    if (section) {
      show("progress-" + section.dataset.theme, answeredIn(section));
    }
    show("progress-all", answeredIn(form));
  });
});

// Self-assessment: save each answer as the user gives it (the "Opslaan" button still works
// without JavaScript). The server answers with the stored versions, which go back into the
// hidden fields so the next save is not mistaken for a lost update.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector(".assessment-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  function field(name) {
    return form.querySelector("[name='" + name + "']");
  }
  function status(key, text, failed) {
    var element = form.querySelector(".autosave-status[data-key='" + key + "']");
    if (element) {
      element.textContent = text;
      element.classList.toggle("autosave-status--failed", Boolean(failed));
    }
  }
  function save(key) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
    data.append("measure_set", field("measure_set").value);
    data.append("action", "save");
    var checked = form.querySelector("[name='" + key + ".value']:checked");
    if (checked) {
      data.append(key + ".value", checked.value);
    }
    ["note", "version", "orig", "orignote"].forEach(function (part) {
      data.append(key + "." + part, field(key + "." + part).value);
    });
    fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        var stored = result.body.answers && result.body.answers[key];
        if (stored) {
          field(key + ".version").value = stored.version;
          field(key + ".orig").value = stored.value;
          field(key + ".orignote").value = stored.note;
        }
        if (result.body.conflicts && result.body.conflicts[key]) {
          status(key, result.body.conflicts[key], true);
        } else if (result.ok) {
          status(key, form.dataset.savedText, false);
        } else {
          status(key, (result.body.errors || [form.dataset.failedText]).join(" "), true);
        }
      })
      .catch(function () {
        status(key, form.dataset.failedText, true);
      });
  }
  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    var match = name.match(/^(.+)\.(value|note)$/);
    if (match) {
      save(match[1]);
    }
  });
});

// Annual cycle steps: what is typed is never lost by leaving the step another way than through
// its buttons. Without JavaScript the step navigation buttons already store the draft; this
// adds: a draft stored a little while after typing stops, before a link or another form
// (log out, language) is followed, and as a best effort when the tab is hidden or closed.
// The server answers with the step's new version, which goes back into the form, so the next
// save is not mistaken for somebody else's.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("step-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var IDLE_MS = 8000;
  var dirty = false;
  var submitting = false;
  var leaving = false;
  var timer = null;
  var status = document.getElementById("autosave-status");

  function say(text, failed) {
    if (status && text) {
      status.textContent = text;
      status.classList.toggle("cycle-autosave--failed", Boolean(failed));
    }
  }
  function payload() {
    var data = new FormData(form);
    data.set("action", "autosave");
    data.delete("add");
    data.delete("wizard_goto_step");
    return data;
  }
  function save(keepalive) {
    clearTimeout(timer);
    if (!dirty || submitting) {
      return Promise.resolve(true);
    }
    dirty = false; // typing while the request is under way marks it dirty again
    return fetch(window.location.pathname, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: Boolean(keepalive),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (result.ok && result.body.saved) {
          form.querySelector("[name=version]").value = result.body.version;
          say(result.body.message, false);
          return true;
        }
        dirty = true;
        say(result.body.message || form.dataset.failedText, true);
        if (result.body.conflict && status) {
          // Saved in between by somebody else: bring the message into view and read it out.
          status.setAttribute("tabindex", "-1");
          status.focus();
        }
        return false;
      })
      .catch(function () {
        dirty = true;
        if (keepalive) {
          return save(false); // a keepalive body is limited to 64 kB: try a plain request
        }
        say(form.dataset.failedText, true);
        return false;
      });
  }
  function typed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, IDLE_MS);
  }
  form.addEventListener("input", typed);
  form.addEventListener("change", typed);
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });

  // A link: store the draft first, then follow it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !dirty || submitting || leaving || event.defaultPrevented) {
      return;
    }
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return; // opens elsewhere: this page stays
    }
    if (link.target === "_blank" || link.hasAttribute("download")) {
      return;
    }
    if (link.getAttribute("href").charAt(0) === "#") {
      return;
    }
    event.preventDefault();
    save().then(function (ok) {
      if (ok || window.confirm(form.dataset.leaveText)) {
        leaving = true;
        window.location.href = link.href;
      }
    });
  });

  // Another form on the page (log out, switch language): store the draft first.
  document.addEventListener(
    "submit",
    function (event) {
      var other = event.target;
      if (other === form || !dirty || leaving) {
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      save().then(function (ok) {
        if (ok || window.confirm(form.dataset.leaveText)) {
          leaving = true;
          if (other.requestSubmit) {
            other.requestSubmit(submitter || undefined);
          } else {
            other.submit();
          }
        }
      });
    },
    true
  );

  // The tab is hidden or closed: a last try that outlives the page (keepalive).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save(true);
    }
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
  // Back to this page from the browser's history: load it anew, with the stored draft and
  // the current version, instead of a stale copy.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });
});
