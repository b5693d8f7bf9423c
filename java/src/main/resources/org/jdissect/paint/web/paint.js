// The painting editor's page. All state is here: the open sample and its list of edits (undo and redo move along
// it); every picture is asked of the server with the whole list, so the server keeps nothing of this page.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const SHOWN = 512; // the stage's size on the page, in CSS pixels
  const state = { info: null, sample: 0, edits: [], redo: [], stroke: null, showBefore: false, showSeg: false,
    inFlight: false, again: false, lastPng: null, shownThumbs: 0, errors: [] };
  window.addEventListener('error', (e) => state.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => state.errors.push(String(e.reason)));

  async function api(path, body) {
    const r = await fetch(path, body === undefined ? {} : {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) {
      let msg = r.status + '';
      try { msg = (await r.json()).error; } catch (ignored) { /* not JSON */ }
      throw new Error(msg);
    }
    return r;
  }

  function status(text, error) {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
  }

  // ---- the request: the sample and every edit, the stroke being drawn included
  function request(withStroke) {
    const edits = state.edits.map((e) => ({ ...e, strokes: e.strokes.slice() }));
    if (withStroke && state.stroke) {
      addStroke(edits, state.stroke);
    }
    return { sample: state.sample, edits };
  }

  // a painting stroke is a new edit with the tools' settings; an eraser stroke clears every edit under it
  function addStroke(edits, s) {
    if (s.erase) {
      edits.forEach((e) => e.strokes.push(s));
      return;
    }
    const mode = document.querySelector('input[name=mode]:checked').value;
    const edit = { mode, concept: $('concept').value, top: Number($('top').value), strokes: [s] };
    if (mode === 'add') {
      edit.scale = Number($('scale').value);
    }
    edits.push(edit);
  }

  async function render() {
    if (state.inFlight) { state.again = true; return; }
    state.inFlight = true;
    try {
      const t0 = performance.now();
      const r = await api('/api/render', request(true));
      const blob = await r.blob();
      state.lastPng = blob;
      if (!state.showBefore) {
        setPicture(blob);
      }
      status('rendered in ' + Math.round(performance.now() - t0) + ' ms (server ' + r.headers.get('X-Render-Millis')
        + ' ms); ' + state.edits.length + (state.edits.length === 1 ? ' edit' : ' edits'));
      if (state.showSeg) { await segment(); }
    } catch (e) {
      status(e.message, true);
    } finally {
      state.inFlight = false;
      if (state.again) { state.again = false; render(); }
    }
  }

  function setPicture(blob) {
    const old = $('picture').src;
    $('picture').src = URL.createObjectURL(blob);
    if (old.startsWith('blob:')) { URL.revokeObjectURL(old); }
  }

  async function segment() {
    const r = await api('/api/segment', request(false));
    const s = await r.json();
    $('segview').src = 'data:image/png;base64,' + s.png;
    const legend = $('legend');
    legend.textContent = '';
    Object.entries(s.legend).forEach(([name, colour]) => {
      const span = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = colour;
      span.append(swatch, name);
      legend.append(span);
    });
  }

  function listEdits() {
    const ol = $('edits');
    ol.textContent = '';
    state.edits.forEach((e) => {
      const li = document.createElement('li');
      li.textContent = e.mode + ' ' + e.concept + ' (top ' + e.top + (e.scale !== undefined ? ', x' + e.scale : '')
        + ', ' + e.strokes.length + ' strokes)';
      ol.append(li);
    });
  }

  function commit(change) {
    change();
    state.redo = [];
    listEdits();
    render();
  }

  // ---- drawing: pointer positions in image pixels
  function toImage(ev) {
    const box = $('strokes').getBoundingClientRect();
    const w = state.info.image_width;
    const h = state.info.image_height;
    const x = Math.min(w, Math.max(0, (ev.clientX - box.left) / box.width * w));
    const y = Math.min(h, Math.max(0, (ev.clientY - box.top) / box.height * h));
    return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
  }

  function drawStroke() {
    const c = $('strokes');
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const s = state.stroke;
    if (!s) { return; }
    const k = c.width / state.info.image_width;
    g.strokeStyle = s.erase ? 'rgba(255,255,255,0.5)' : 'rgba(255,196,0,0.45)';
    g.lineWidth = 2 * s.radius * k;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? g.moveTo(x * k, y * k) : g.lineTo(x * k, y * k)));
    if (s.points.length === 1) { g.lineTo(s.points[0][0] * k + 0.01, s.points[0][1] * k); }
    g.stroke();
  }

  let lastLive = 0;
  function pointerDown(ev) {
    if (!state.info || !$('concept').value) { return; }
    $('strokes').setPointerCapture(ev.pointerId);
    state.stroke = { points: [toImage(ev)], radius: Number($('brush').value), erase: $('eraser').checked };
    drawStroke();
  }

  function pointerMove(ev) {
    if (!state.stroke) { return; }
    state.stroke.points.push(toImage(ev));
    drawStroke();
    // the picture follows the brush: at most one request in flight, the newest stroke sent next
    if (performance.now() - lastLive > 60) { lastLive = performance.now(); render(); }
  }

  function pointerUp() {
    if (!state.stroke) { return; }
    const s = state.stroke;
    state.stroke = null;
    drawStroke();
    commit(() => addStroke(state.edits, s));
  }

  // ---- samples
  function openSample(n) {
    state.sample = n;
    state.edits = [];
    state.redo = [];
    $('goto').value = n;
    document.querySelectorAll('#thumbs img').forEach((i) => i.classList.toggle('open', Number(i.dataset.n) === n));
    listEdits();
    render();
  }

  function moreThumbs() {
    for (let i = 0; i < 12; i++) {
      const n = state.shownThumbs++;
      const img = document.createElement('img');
      img.src = '/api/sample/' + n;
      img.alt = 'sample ' + n;
      img.dataset.n = n;
      img.addEventListener('click', () => openSample(n));
      $('thumbs').append(img);
    }
  }

  async function download(blob, name) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  }

  async function start() {
    const info = await (await api('/api/info')).json();
    state.info = info;
    $('about').textContent = 'layer ' + info.layer + ' (' + info.units + ' units, ' + info.layer_height + ' x '
      + info.layer_width + '), ' + info.image_width + ' x ' + info.image_height + ' pictures, seed ' + info.seed;
    const c = $('strokes');
    c.width = SHOWN;
    c.height = SHOWN;
    $('top').max = info.units;
    info.concepts.forEach((k) => {
      const o = document.createElement('option');
      o.value = k.name;
      o.textContent = k.name + ' (' + k.units + (k.units === 1 ? ' unit)' : ' units)');
      $('concept').append(o);
    });
    if (!info.concepts.length) {
      status('no concepts: start the editor with --dissection (a gan-dissect output of this layer)', true);
    }
    $('seg').disabled = !info.segmenter;
    c.addEventListener('pointerdown', pointerDown);
    c.addEventListener('pointermove', pointerMove);
    c.addEventListener('pointerup', pointerUp);
    c.addEventListener('pointercancel', pointerUp);
    $('more').addEventListener('click', moreThumbs);
    $('open').addEventListener('click', () => openSample(Math.max(0, Math.min(999999, Number($('goto').value) | 0))));
    $('undo').addEventListener('click', () => {
      if (state.edits.length) { state.redo.push(state.edits.pop()); listEdits(); render(); }
    });
    $('redo').addEventListener('click', () => {
      if (state.redo.length) { state.edits.push(state.redo.pop()); listEdits(); render(); }
    });
    $('before').addEventListener('click', async () => {
      state.showBefore = !state.showBefore;
      $('before').setAttribute('aria-pressed', String(state.showBefore));
      if (state.showBefore) {
        setPicture(await (await api('/api/sample/' + state.sample)).blob());
      } else if (state.lastPng) {
        setPicture(state.lastPng);
      }
    });
    $('seg').addEventListener('click', async () => {
      state.showSeg = !state.showSeg;
      $('seg').setAttribute('aria-pressed', String(state.showSeg));
      $('segview').hidden = !state.showSeg;
      if (state.showSeg) { await segment(); } else { $('legend').textContent = ''; }
    });
    $('download').addEventListener('click', () => state.lastPng && download(state.lastPng,
      'sample-' + state.sample + '-edited.png'));
    $('recipe').addEventListener('click', async () => download(await (await api('/api/recipe', request(false))).blob(),
      'recipe-' + state.sample + '.json'));
    $('scale').addEventListener('input', () => { $('scaleval').textContent = $('scale').value; });
    $('brush').addEventListener('input', () => { $('brushval').textContent = $('brush').value; });
    moreThumbs();
    openSample(0);
    if (location.hash === '#selftest') { selfTest(); }
  }

  // ---- the browser check (README, "Painting with units"): a stroke drawn with pointer events removes the first
  // concept inside it; the picture must change there and little elsewhere, and undo must give back the sample's bytes
  const idle = () => new Promise((resolve) => {
    const tick = () => (state.inFlight || state.again ? setTimeout(tick, 20) : resolve());
    setTimeout(tick, 20);
  });
  async function pixels(blob) {
    const bmp = await createImageBitmap(blob);
    const c = document.createElement('canvas');
    c.width = bmp.width;
    c.height = bmp.height;
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    return g.getImageData(0, 0, c.width, c.height).data;
  }
  async function selfTest() {
    const out = {};
    try {
      await idle();
      const original = await (await api('/api/sample/0')).blob();
      const c = $('strokes');
      const box = c.getBoundingClientRect();
      const w = state.info.image_width;
      const h = state.info.image_height;
      // pick the concept with the most units and "remove", as a user would, then a horizontal stroke across the
      // middle third, brush radius 6 image pixels
      const picker = $('concept');
      picker.value = picker.options[0].value;
      picker.dispatchEvent(new Event('change', { bubbles: true }));
      document.querySelector('input[name=mode][value=remove]').click();
      $('brush').value = 6;
      const y = box.top + box.height / 2;
      const fire = (type, fx) => c.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerId: 1,
        clientX: box.left + fx * box.width, clientY: y, isPrimary: true }));
      fire('pointerdown', 1 / 3);
      for (let i = 1; i <= 10; i++) { fire('pointermove', 1 / 3 + i / 30); }
      fire('pointerup', 2 / 3);
      await idle();
      const a = await pixels(original);
      const b = await pixels(state.lastPng);
      let inside = 0; let insideN = 0; let outside = 0; let outsideN = 0;
      for (let py = 0; py < h; py++) {
        for (let px = 0; px < w; px++) {
          const i = 4 * (py * w + px);
          const d = Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
          const near = Math.abs(py + 0.5 - h / 2) <= 6 && px + 0.5 >= w / 3 - 6 && px + 0.5 <= 2 * w / 3 + 6;
          if (near) { inside += d; insideN++; } else { outside += d; outsideN++; }
        }
      }
      out.concept = $('concept').value;
      out.edits = state.edits.length;
      out.meanChangeInside = inside / insideN / 3;
      out.meanChangeOutside = outside / outsideN / 3;
      $('undo').click();
      await idle();
      const undone = new Uint8Array(await state.lastPng.arrayBuffer());
      const orig = new Uint8Array(await original.arrayBuffer());
      out.undoRestoresBytes = undone.length === orig.length && undone.every((v, i) => v === orig[i]);
    } catch (e) {
      state.errors.push(String(e));
    }
    out.errors = state.errors;
    $('selftest').textContent = JSON.stringify(out);
    $('selftest').hidden = false;
  }

  start().catch((e) => { state.errors.push(String(e)); status(String(e.message || e), true); });
})();
