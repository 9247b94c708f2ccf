// The page editor's autosave and a person's own actions, kept apart.
//
// Wagtail's workflow-action dialog (Approve by order, Agree with comment), once its form is
// accepted, adds the action's fields to the page editor's form and submits it. The editor's
// autosave, which compares that form with what it last saved twice a second, took the added
// fields for an edit and sent the form too, with the action in it: every approval was asked
// for twice, and one of the two refused (a 400 in the server's log). Once the action's fields
// are in the form, the form is on its way: the autosave stops.
//
// A click on Submit, Save draft or Publish while the autosave is sending the form waits for
// the autosave's answer. Sent at the same time, the click's request read the page's latest
// revision before the autosave wrote its own; when the click was refused (a change sent
// without its register row), the editor it answered with took the person's own autosave for
// "a new version saved in another window", paused the autosave, and asked them, on their
// next submission, whether to overwrite it.
(function () {
  'use strict';
  var PATIENCE = 20000; // an autosave that never answers holds nothing longer than this

  function stopTheAutosave(form) {
    form.setAttribute('data-w-autosave-active-value', 'false');
  }

  function watch(form) {
    new MutationObserver(function () {
      if (form.querySelector('input[name="action-workflow-action"]')) {
        stopTheAutosave(form);
      }
    }).observe(form, { childList: true });

    var saving = false;
    var held = null; // the held click: {name, value} of its button, or {} for none
    var timer = null;

    function send() {
      var click = held;
      held = null;
      saving = false; // sent when the autosave answered, or when it was given up on
      window.clearTimeout(timer);
      // The button itself may be disabled by now (Wagtail's progress spinner): a disabled
      // button's name is not sent with the form, so its name and value go as a field.
      if (click.name) {
        var field = document.createElement('input');
        field.type = 'hidden';
        field.name = click.name;
        field.value = click.value;
        form.appendChild(field);
      }
      form.requestSubmit();
    }

    form.addEventListener('w-autosave:save', function (event) {
      // Dispatched before the autosave sends, and cancelable: it sends unless cancelled.
      window.setTimeout(function () {
        if (!event.defaultPrevented) saving = true;
      });
    });
    ['w-autosave:success', 'w-autosave:error'].forEach(function (name) {
      form.addEventListener(name, function () {
        saving = false;
        if (held) send();
      });
    });
    form.addEventListener(
      'submit',
      function (event) {
        if (held) {
          event.preventDefault();
          event.stopImmediatePropagation();
          return;
        }
        if (!saving) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        var button = event.submitter;
        held = button && button.name ? { name: button.name, value: button.value } : {};
        stopTheAutosave(form); // the form is on its way once the autosave has answered
        timer = window.setTimeout(send, PATIENCE);
      },
      true,
    );
  }

  function start() {
    document.querySelectorAll('form[data-edit-form]').forEach(watch);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
