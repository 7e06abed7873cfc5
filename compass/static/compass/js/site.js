// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) {
    summary.focus();
  }
});

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
