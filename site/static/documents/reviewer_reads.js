// An agreer (or an approver without page permissions) opens the draft in the page editor to
// read it and act on it: nothing they type there is saved (DocumentEditView). A tester typed
// into a clause, pressed "Agree", and their words were dropped without a word. The server
// marks its notice to them ("sapa-reviewer"); here the editor's fields become read-only:
// text fields and rich text take no typing, choices and the buttons that add, remove, move or
// choose take no click. Tabs and the toggles that open and close a panel still work, and text
// can still be selected and copied into a request for changes.
(function () {
  'use strict';
  var KEPT = '[role="tab"], [aria-expanded], [data-w-dropdown-target="toggle"]';

  function readOnly(root) {
    root.querySelectorAll('input:not([type="hidden"]), textarea').forEach(function (field) {
      if (field.type === 'checkbox' || field.type === 'radio' || field.type === 'file') {
        field.disabled = true;
      } else {
        field.readOnly = true;
      }
    });
    root.querySelectorAll('select').forEach(function (field) {
      field.disabled = true;
    });
    root.querySelectorAll('[contenteditable="true"]').forEach(function (editor) {
      editor.setAttribute('contenteditable', 'false');
    });
  }

  // Read-only looks it: the fields shaded, and no control offered that changes the draft
  // (a block's move, copy and delete buttons, the "+" between blocks, an inline row's "Add",
  // the rich text toolbar).
  var LOOK =
    '.sapa-read-only input[readonly], .sapa-read-only textarea[readonly],' +
    ' .sapa-read-only select:disabled, .sapa-read-only .Draftail-Editor' +
    ' { background-color: rgba(128, 128, 128, 0.1); }' +
    ' .sapa-read-only .w-panel__controls, .sapa-read-only .c-sf-add-button,' +
    ' .sapa-read-only .Draftail-Toolbar, .sapa-read-only [id$="-ADD"]' +
    ' { display: none !important; }';

  function lock(form) {
    var style = document.createElement('style');
    style.textContent = LOOK;
    document.head.appendChild(style);
    form.classList.add('sapa-read-only');
    readOnly(form);
    // Rich text editors, StreamField blocks and inline rows appear after the page loads.
    new MutationObserver(function () {
      readOnly(form);
    }).observe(form, { childList: true, subtree: true });
    form.addEventListener(
      'click',
      function (event) {
        var button = event.target.closest('button, a[role="button"]');
        if (!button || button.closest('footer') || button.closest(KEPT)) return;
        if (!button.closest('[role="tabpanel"], .w-panel')) return;
        event.preventDefault();
        event.stopImmediatePropagation();
      },
      true
    );
    ['beforeinput', 'paste', 'drop', 'cut'].forEach(function (kind) {
      form.addEventListener(
        kind,
        function (event) {
          if (event.target.closest && event.target.closest('footer')) return;
          event.preventDefault();
          event.stopImmediatePropagation();
        },
        true
      );
    });
  }

  function start() {
    if (!document.querySelector('.messages li.sapa-reviewer')) return;
    document.querySelectorAll('form[data-edit-form]').forEach(lock);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
