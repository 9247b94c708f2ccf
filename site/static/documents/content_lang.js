// The page editor shows a collapsed block of the body by its first words, which are the
// document's own text: mark them with the language they are written in (and as not to be
// translated), so that screen readers and language checks do not take them for interface.
(function () {
  'use strict';
  function mark(panel) {
    var language = panel.getAttribute('data-content-lang');
    panel.querySelectorAll('.c-sf-block__title').forEach(function (title) {
      if (title.getAttribute('lang') !== language) {
        title.setAttribute('lang', language);
        title.setAttribute('translate', 'no');
      }
    });
  }
  function start() {
    document.querySelectorAll('[data-content-lang]').forEach(function (panel) {
      mark(panel);
      new MutationObserver(function () { mark(panel); }).observe(panel, { childList: true, subtree: true });
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
