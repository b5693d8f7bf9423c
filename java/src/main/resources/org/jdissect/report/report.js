/* jdissect report: sorting and filtering of the unit table (cards follow), click-to-enlarge of a card's images, and
 * a self-test of the images.
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

  /* Click-to-enlarge: a card's top images, larger, in a dialog, each with the unit's mask, its caption and the
   * card's concepts. Built from the card's own elements and attributes (no markup from data); nothing fetched. */
  var zoom = null;

  function openZoom(strip) {
    var card = strip.closest('article.card');
    if (!zoom) {
      zoom = document.createElement('dialog');
      zoom.className = 'zoom';
      zoom.id = 'zoom';
      zoom.addEventListener('click', function (e) { if (e.target === zoom) { zoom.close(); } });
      document.body.appendChild(zoom);
    }
    while (zoom.firstChild) { zoom.removeChild(zoom.firstChild); }
    var head = document.createElement('div');
    head.className = 'zhead';
    var h = document.createElement('h3');
    h.textContent = 'unit ' + card.getAttribute('data-unit') + ': ' + card.querySelector('.label').textContent;
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'close';
    close.addEventListener('click', function () { zoom.close(); });
    head.appendChild(h);
    head.appendChild(close);
    zoom.appendChild(head);
    var cell = parseFloat(strip.getAttribute('data-cell'));
    var gap = parseFloat(strip.getAttribute('data-gap'));
    var mask = strip.querySelector('img.mask');
    var thumbs = Array.prototype.slice.call(strip.querySelectorAll('img')).filter(function (i) { return i !== mask; });
    var room = Math.min(window.innerWidth * 0.96, 1240) - 60;
    var k = Math.max(1, Math.min(3, (room - 12 * 4) / (5 * cell)));
    var size = Math.round(cell * k);
    var cells = document.createElement('div');
    cells.className = 'cells';
    thumbs.forEach(function (t, i) {
      var fig = document.createElement('figure');
      var box = document.createElement('div');
      box.className = 'zcell';
      box.style.width = size + 'px';
      box.style.height = size + 'px';
      var img = document.createElement('img');
      img.src = t.getAttribute('src');
      img.alt = t.getAttribute('alt') || '';
      img.width = size;
      img.height = size;
      if (/\.png$/.test(img.src)) { img.className = 'px'; }
      box.appendChild(img);
      if (mask) {
        var m = document.createElement('div');
        m.className = 'zmask';
        m.style.backgroundImage = 'url("' + mask.getAttribute('src') + '")';
        m.style.backgroundSize = (parseFloat(mask.getAttribute('width')) * k) + 'px '
          + (parseFloat(mask.getAttribute('height')) * k) + 'px';
        var top = -parseFloat(mask.style.top) || 0;
        m.style.backgroundPosition = (-i * (cell + gap) * k) + 'px ' + (-top * k) + 'px';
        box.appendChild(m);
      }
      var cap = document.createElement('figcaption');
      cap.style.width = size + 'px';
      cap.textContent = t.getAttribute('title') || '';
      fig.appendChild(box);
      fig.appendChild(cap);
      cells.appendChild(fig);
    });
    zoom.appendChild(cells);
    var more = card.querySelector('dl.more');
    if (more) { zoom.appendChild(more.cloneNode(true)); }
    zoom.showModal();
    return zoom;
  }

  function setupZoom() {
    var box = document.getElementById('cards');
    if (!box) { return; }
    box.addEventListener('click', function (e) {
      var strip = e.target.closest && e.target.closest('.strip.zoom');
      if (strip) { openZoom(strip); }
    });
    box.addEventListener('keydown', function (e) {
      var strip = e.target.closest && e.target.closest('.strip.zoom');
      if (strip && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openZoom(strip); }
    });
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
      var strip = document.querySelector('.strip.zoom');
      if (strip) { /* the first card enlarged: its cells, and the masks over them */
        var z = openZoom(strip);
        out.setAttribute('data-zoom-cells', String(z.querySelectorAll('.zcell').length));
        out.setAttribute('data-zoom-masks', String(z.querySelectorAll('.zmask').length));
        out.setAttribute('data-zoom-open', String(z.open));
        z.close();
      }
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
    setupZoom();
    var z = /^#zoom-u(\d+)$/.exec(location.hash); /* a link to a unit's enlarged images */
    var strip = z && document.querySelector('#u' + z[1] + ' .strip.zoom');
    if (strip) { openZoom(strip); }
    if (location.hash === '#selftest') { selftest(); }
  });
}());
