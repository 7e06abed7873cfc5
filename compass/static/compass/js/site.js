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
