/* jdissect report: sorting and filtering of the unit table (cards follow), and a self-test of the images.
 * Plain JavaScript; reads only data-* attributes and text, never writes markup from data. */
(function () {
  'use strict';

  function ready(fn) {
    if (document.readyState !== 'loading') { fn(); } else { document.addEventListener('DOMContentLoaded', fn); }
  }

  function setupUnits() {
    var table = document.getElementById('unit-table');
    var box = document.getElementById('cards');
    if (!table || !box) { return; }
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var cards = {};
    Array.prototype.forEach.call(box.children, function (c) { cards[c.getAttribute('data-unit')] = c; });
    var text = document.getElementById('f-text');
    var cat = document.getElementById('f-cat');
    var minIou = document.getElementById('f-iou');
    var interp = document.getElementById('f-interp');
    var count = document.getElementById('f-count');
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var key = 'iou';
    var dir = -1;

    function value(row, k, numeric) {
      var v = row.getAttribute('data-' + k);
      return numeric ? parseFloat(v) : v.toLowerCase();
    }

    function sort() {
      var head = heads.filter(function (h) { return h.getAttribute('data-key') === key; })[0];
      var numeric = head.getAttribute('data-type') === 'num';
      rows.sort(function (a, b) {
        var x = value(a, key, numeric);
        var y = value(b, key, numeric);
        var c = x < y ? -1 : x > y ? 1 : 0;
        if (c === 0) { c = parseInt(a.getAttribute('data-unit'), 10) - parseInt(b.getAttribute('data-unit'), 10); return c; }
        return c * dir;
      });
      var rowFrag = document.createDocumentFragment();
      var cardFrag = document.createDocumentFragment();
      rows.forEach(function (r) {
        rowFrag.appendChild(r);
        var card = cards[r.getAttribute('data-unit')];
        if (card) { cardFrag.appendChild(card); }
      });
      tbody.appendChild(rowFrag);
      box.appendChild(cardFrag);
      heads.forEach(function (h) {
        if (h.getAttribute('data-key') === key) {
          h.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
        } else {
          h.removeAttribute('aria-sort');
        }
      });
    }

    function filter() {
      var needle = text.value.trim().toLowerCase();
      var c = cat.value;
      var m = parseFloat(minIou.value);
      var only = interp.checked;
      var shown = 0;
      rows.forEach(function (r) {
        var unit = r.getAttribute('data-unit');
        var ok = true;
        if (needle) {
          ok = unit === needle || ('unit ' + unit) === needle
            || r.getAttribute('data-label').toLowerCase().indexOf(needle) >= 0
            || r.getAttribute('data-cat').toLowerCase().indexOf(needle) >= 0;
        }
        if (ok && c) { ok = r.getAttribute('data-cat') === c; }
        if (ok && !isNaN(m)) { ok = parseFloat(r.getAttribute('data-iou')) >= m; }
        if (ok && only) { ok = r.getAttribute('data-interp') === '1'; }
        r.hidden = !ok;
        if (cards[unit]) { cards[unit].hidden = !ok; }
        if (ok) { shown++; }
      });
      count.textContent = shown === rows.length ? rows.length + ' units' : shown + ' of ' + rows.length + ' units';
    }

    heads.forEach(function (h) {
      var k = h.getAttribute('data-key');
      if (!k) { return; }
      h.tabIndex = 0;
      function activate() {
        if (key === k) { dir = -dir; } else { key = k; dir = h.getAttribute('data-type') === 'num' && k !== 'unit' ? -1 : 1; }
        sort();
      }
      h.addEventListener('click', activate);
      h.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
    });
    [text, cat, minIou, interp].forEach(function (el) {
      el.addEventListener('input', filter);
      el.addEventListener('change', filter);
    });
    filter();
  }

  /* With #selftest in the URL: load every image of the page afresh (lazy ones included) and write the outcome
   * into the DOM as <div id="selftest">, for the browser test. */
  function selftest() {
    var imgs = Array.prototype.slice.call(document.images);
    var srcs = [];
    var seen = {};
    imgs.forEach(function (img) {
      var src = img.getAttribute('src');
      if (!seen[src]) { seen[src] = true; srcs.push(src); }
    });
    var broken = [];
    var pending = srcs.length;
    function done() {
      var out = document.createElement('div');
      out.id = 'selftest';
      out.setAttribute('data-images', String(imgs.length));
      out.setAttribute('data-files', String(srcs.length));
      out.setAttribute('data-broken', String(broken.length));
      out.setAttribute('data-cards', String(document.querySelectorAll('article.card').length));
      out.setAttribute('data-injected', String(typeof window.jdissectInjected !== 'undefined'));
      out.textContent = broken.join('\n');
      document.body.appendChild(out);
    }
    if (pending === 0) { done(); return; }
    srcs.forEach(function (src) {
      var probe = new Image();
      probe.onload = function () {
        if (!(probe.naturalWidth > 0)) { broken.push(src); }
        if (--pending === 0) { done(); }
      };
      probe.onerror = function () {
        broken.push(src);
        if (--pending === 0) { done(); }
      };
      probe.src = src;
    });
  }

  ready(function () {
    setupUnits();
    if (location.hash === '#selftest') { selftest(); }
  });
}());
