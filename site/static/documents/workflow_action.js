// Wagtail's workflow-action dialog (Approve by order, Agree with comment), once its form is
// accepted, adds the action's fields to the page editor's form and submits it. The editor's
// autosave, which compares that form with what it last saved twice a second, took the added
// fields for an edit and sent the form too, with the action in it: every approval was asked
// for twice, and one of the two refused (a 400 in the server's log). Once the action's fields
// are in the form, the form is on its way: the autosave stops.
(function () {
  'use strict';
  function watch(form) {
    new MutationObserver(function () {
      if (form.querySelector('input[name="action-workflow-action"]')) {
        form.setAttribute('data-w-autosave-active-value', 'false');
      }
    }).observe(form, { childList: true });
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
