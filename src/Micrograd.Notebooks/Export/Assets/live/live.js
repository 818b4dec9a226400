// The live course's page side (run … --live): an editor for every C# cell, Run (▶, Shift+Enter), Run all,
// Stop and Restart, the learner's edits kept in the browser's storage, and the page's cells as a .dib or
// .ipynb download. Cells run in .NET WebAssembly in a Web Worker (worker.js beside this file), created at
// the first Run, so until then nothing big is fetched. The contract with the worker: src/Micrograd.Browser/PROTOCOL.md.
// Outputs are rendered with the static page's markup (HtmlSite.cs), so a live output looks like an exported one.

const data = JSON.parse(document.getElementById('mg-live').textContent);
const siteRoot = new URL('..', import.meta.url);
const storageKey = 'micrograd-live:' + siteRoot.pathname + data.notebook;
const stopGraceMs = 3000;

// The notebook's cells as the .dib holds them (the #!meta cell left out), numbered from 1 as on the page.
const notebookCells = data.dib.cells.filter(c => c.kernel !== 'meta');
const cells = [];                 // the page's C# cells, each with its editor
const byNumber = new Map();

const session = {
  worker: null,
  ready: false,
  flag: null,                     // Int32Array over a SharedArrayBuffer when cross-origin isolated: element 0 = 1 asks for a stop
  queue: [],
  running: null,                  // { id, cell, last }: the cell the worker runs now, and its last output element
  nextId: 1,
  stopTimer: 0,
  displays: new Map(),            // displayId → its output element, for updates from any later cell
  readyNote: '',                  // said with "ready" (after a restart)
};

function start() {
  const bar = toolbar();
  const saved = load();
  notebookCells.forEach((c, i) => {
    const number = i + 1;
    const section = document.getElementById('cell-' + number);
    const pre = section && section.querySelector('pre.source');
    if (c.kernel !== 'csharp' || !pre) return;
    const cell = editorFor(number, c.source, pre, saved[number]);
    cells.push(cell);
    byNumber.set(number, cell);
  });
  bar.hidden = false;
}

// ---- the page's toolbar ------------------------------------------------------------------------------------

const ui = {};

function toolbar() {
  const bar = el('div', 'mg-live-bar');
  bar.hidden = true;
  const buttons = el('div', 'mg-live-buttons');
  ui.runAll = button('▶▶ Run all', 'run every C# cell of the page, top to bottom', runAll);
  ui.stop = button('■ Stop', 'stop the running cell and drop the queued ones', stop);
  ui.restart = button('↻ Restart', 'end this page\'s session (everything the cells defined) and start a new one', restart);
  ui.dib = button('⇩ .dib', 'download the page\'s cells as they are now, as a Polyglot Notebooks .dib', () => download(data.notebook, dibText(), 'text/plain'));
  ui.ipynb = button('⇩ .ipynb', 'download the page\'s cells as they are now, as a Jupyter notebook (no outputs)',
    () => download(data.notebook.replace(/\.dib$/i, '') + '.ipynb', ipynbText(), 'application/x-ipynb+json'));
  ui.stop.disabled = true;
  ui.restart.disabled = true;
  buttons.append(ui.runAll, ui.stop, ui.restart, el('span', 'mg-live-gap'), ui.dib, ui.ipynb);
  ui.status = el('div', 'mg-live-status');
  ui.status.setAttribute('aria-live', 'polite');
  ui.status.textContent = 'Edit any C# cell and run it with ▶ or Shift+Enter. The first run loads .NET into this page (once; the browser keeps it).';
  ui.progress = el('div', 'mg-live-progress');
  ui.progress.hidden = true;
  ui.progress.append(el('div', 'mg-live-progress-bar'));
  bar.append(buttons, ui.status, ui.progress);
  const nav = document.querySelector('main > nav');
  nav.parentNode.insertBefore(bar, nav.nextSibling);
  return bar;
}

function say(text, kind) {
  ui.status.textContent = text;
  ui.status.className = 'mg-live-status' + (kind ? ' ' + kind : '');
}

function showProgress(loaded, total, text) {
  ui.progress.hidden = false;
  const bar = ui.progress.firstChild;
  ui.progress.classList.toggle('unknown', !(total > 0));
  bar.style.width = total > 0 ? Math.min(100, 100 * loaded / total).toFixed(1) + '%' : '';
  const mb = x => (x / 1048576).toFixed(1);
  say((text || 'loading .NET…') + (total > 0 ? ` ${mb(loaded)} of ${mb(total)} MB` : loaded > 0 ? ` ${mb(loaded)} MB` : ''));
}

function updateButtons() {
  const busy = session.running !== null || session.queue.length > 0;
  ui.stop.disabled = !busy;
  ui.restart.disabled = session.worker === null;
}

// ---- a cell's editor ---------------------------------------------------------------------------------------

function editorFor(number, original, pre, saved) {
  const box = el('div', 'mg-source');
  const label = pre.querySelector('.n');
  const place = el('div', 'mg-editor');
  const tools = el('div', 'mg-cell-tools');
  const cell = { number, original, section: pre.parentNode, box, status: el('span', 'mg-cell-status'), editor: null };
  cell.reset = button('reset', 'put back the course\'s code for this cell', () => { cell.editor.setValue(original); cell.editor.focus(); });
  cell.reset.className = 'mg-reset';
  cell.run = button('▶', 'run this cell (Shift+Enter)', () => run(cell));
  cell.run.className = 'mg-run';
  tools.append(cell.status, cell.reset, cell.run);
  box.append(label ? label.cloneNode(true) : el('span', 'n'), place, tools);
  pre.replaceWith(box);
  cell.editor = window.CodeMirror(place, {
    value: typeof saved === 'string' ? saved : original,
    mode: 'text/x-csharp',
    indentUnit: 4,
    tabSize: 4,
    matchBrackets: true,
    viewportMargin: Infinity,
    extraKeys: {
      'Shift-Enter': () => { run(cell); next(cell); },
      'Ctrl-Enter': () => run(cell),
      'Cmd-Enter': () => run(cell),
      Tab: cm => cm.somethingSelected() ? cm.indentSelection('add') : cm.replaceSelection('    '),
    },
  });
  cell.editor.getWrapperElement().setAttribute('aria-label', `cell ${number}, C#`);
  cell.reset.hidden = cell.editor.getValue() === original;
  let timer = 0;
  cell.editor.on('changes', () => {
    cell.reset.hidden = cell.editor.getValue() === original;
    clearTimeout(timer);
    timer = setTimeout(() => save(cell), 250);
  });
  return cell;
}

function next(cell) {
  const i = cells.indexOf(cell);
  if (i + 1 < cells.length) {
    cells[i + 1].editor.focus();
    cells[i + 1].box.scrollIntoView({ block: 'nearest' });
  }
}

function setStatus(cell, text, kind) {
  cell.status.textContent = text;
  cell.status.className = 'mg-cell-status' + (kind ? ' ' + kind : '');
}

// ---- the learner's edits, kept per page and cell -----------------------------------------------------------

function load() {
  try {
    const text = localStorage.getItem(storageKey);
    return text ? JSON.parse(text) : {};
  } catch (e) {
    return {};
  }
}

function save(cell) {
  try {
    const edits = load();
    const source = cell.editor.getValue();
    if (source === cell.original) delete edits[cell.number]; else edits[cell.number] = source;
    if (Object.keys(edits).length === 0) localStorage.removeItem(storageKey); else localStorage.setItem(storageKey, JSON.stringify(edits));
  } catch (e) {
    // storage off or full: the edit stays in the page until it is closed
  }
}

function sourceOf(number) {
  const cell = byNumber.get(number);
  return cell ? cell.editor.getValue() : notebookCells[number - 1].source;
}

// ---- running -----------------------------------------------------------------------------------------------

function run(cell) {
  if (session.queue.includes(cell) || (session.running && session.running.cell === cell)) return;
  session.queue.push(cell);
  setStatus(cell, 'queued', 'queued');
  ensureWorker();
  pump();
  updateButtons();
}

function runAll() {
  for (const cell of cells) run(cell);
}

function ensureWorker() {
  if (session.worker) return;
  session.ready = false;
  session.flag = self.crossOriginIsolated && typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;
  showProgress(0, 0, 'starting .NET…');
  let worker;
  try {
    worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
  } catch (e) {
    fail('this browser cannot start the live runtime (a module Web Worker): ' + e.message);
    return;
  }
  session.worker = worker;
  worker.onmessage = e => receive(worker, e.data);
  worker.onerror = e => { if (worker === session.worker) fail('the live runtime could not start' + (e.message ? ': ' + e.message : ' (live/worker.js did not load)')); };
  worker.postMessage({ type: 'init', base: siteRoot.href, files: data.files, interrupt: session.flag ? session.flag.buffer : null });
  updateButtons();
}

function pump() {
  if (!session.ready || session.running || session.queue.length === 0) return;
  const cell = session.queue.shift();
  const id = session.nextId++;
  session.running = { id, cell, last: null, started: performance.now() };
  clearOutputs(cell);
  setStatus(cell, 'running…', 'running');
  session.worker.postMessage({ type: 'run', id, name: `${data.notebook}:cell ${cell.number}`, code: cell.editor.getValue() });
  updateButtons();
}

function receive(worker, m) {
  if (worker !== session.worker) return; // a message from a session that was ended
  switch (m.type) {
    case 'progress':
      if (!session.ready) showProgress(m.loaded, m.total, m.text);
      break;
    case 'ready':
      session.ready = true;
      ui.progress.hidden = true;
      say(session.readyNote + (session.flag ? 'ready' : 'ready (Stop will end the session: this page is not cross-origin isolated)'));
      session.readyNote = '';
      pump();
      break;
    case 'output':
      if (session.running && m.id === session.running.id) append(session.running, m.output);
      break;
    case 'update':
      update(m.displayId, m.data);
      break;
    case 'clear': // ClearOutput(wait) in the cell: now, or just before its next output
      if (session.running && m.id === session.running.id) {
        if (m.wait) session.running.clearPending = true;
        else clear(session.running);
      }
      break;
    case 'done':
      if (session.running && m.id === session.running.id) finish(m);
      break;
    case 'fatal':
      fail(m.message);
      break;
  }
}

function finish(m) {
  const { cell } = session.running;
  clearTimeout(session.stopTimer);
  if (m.error) append(session.running, { kind: 'error', ename: m.error.ename, evalue: m.error.evalue });
  const seconds = ((m.ms ?? performance.now() - session.running.started) / 1000).toFixed(2) + ' s';
  if (m.status === 'ok') setStatus(cell, seconds, 'ok');
  else if (m.status === 'interrupted') { setStatus(cell, 'stopped', 'error'); say('Stopped. The session\'s state is kept: what the cells defined before is still there.'); }
  else setStatus(cell, 'error · ' + seconds, 'error');
  session.running = null;
  pump();
  updateButtons();
}

function stop() {
  for (const cell of session.queue) setStatus(cell, '');
  session.queue = [];
  if (!session.running) { updateButtons(); return; }
  if (session.flag && session.ready) {
    Atomics.store(session.flag, 0, 1);
    say('stopping…');
    session.stopTimer = setTimeout(() => end('The cell did not stop within 3 s (it was busy inside a library call), so its session was ended: ' +
      'everything the cells defined is gone. The next Run starts a new session; run the cells it needs again.'), stopGraceMs);
  } else {
    end('Stopped by ending the session: everything the cells defined is gone (this page is not cross-origin isolated, so a running cell ' +
      'cannot be stopped any other way). The next Run starts a new session; run the cells it needs again.');
  }
  updateButtons();
}

function restart() {
  const had = session.worker !== null;
  end('Restarted: a new session, with nothing defined yet.');
  if (!had) return;
  ensureWorker();
  session.readyNote = 'Restarted: a new session, with nothing defined yet; ';
}

/** Ends the worker and its session; the queued cells are dropped, the running one is marked stopped. */
function end(message, kind) {
  clearTimeout(session.stopTimer);
  if (session.worker) session.worker.terminate();
  if (session.running) setStatus(session.running.cell, 'stopped', 'error');
  for (const cell of session.queue) setStatus(cell, '');
  Object.assign(session, { worker: null, ready: false, flag: null, queue: [], running: null, readyNote: '' });
  session.displays.clear();
  ui.progress.hidden = true;
  say(message, kind || 'warning');
  updateButtons();
}

function fail(message) {
  if (session.running) append(session.running, { kind: 'error', evalue: 'the live runtime stopped: ' + message });
  end('The live runtime stopped: ' + message + '. The next Run tries again.', 'error');
}

// ---- outputs, with the static page's markup ----------------------------------------------------------------

function clearOutputs(cell) {
  for (const old of cell.section.querySelectorAll(':scope > .output, :scope > p.note')) old.remove();
  for (const [id, node] of session.displays) if (!node.isConnected) session.displays.delete(id);
}

function clear(running) {
  clearOutputs(running.cell);
  running.last = null;
  running.clearPending = false;
}

function append(running, output) {
  if (running.clearPending) clear(running);
  const { section } = running.cell;
  if (output.kind === 'stream' && running.last && running.last.dataset.stream === output.name && running.last.isConnected) {
    running.last.textContent += output.text; // one block per run of writes, as the static page has
    return;
  }
  const node = render(output);
  section.append(node);
  running.last = node;
  if (output.kind === 'display' && output.displayId) session.displays.set(output.displayId, node);
}

function update(displayId, mimeData) {
  const old = session.displays.get(displayId);
  if (!old || !old.isConnected) return;
  const node = render({ kind: 'display', data: mimeData });
  old.replaceWith(node);
  session.displays.set(displayId, node);
  if (session.running && session.running.last === old) session.running.last = node;
}

function render(output) {
  if (output.kind === 'stream') {
    const pre = el('pre', 'output stream');
    pre.dataset.stream = output.name;
    pre.textContent = output.text;
    return pre;
  }
  if (output.kind === 'error') {
    const pre = el('pre', 'output error');
    pre.textContent = output.evalue;
    return pre;
  }
  const d = output.data || {};
  const html = d['text/html'] ?? d['image/svg+xml'];
  if (html !== undefined) {
    const div = el('div', 'output html');
    div.innerHTML = html;
    for (const old of div.querySelectorAll('script')) { // what the static page runs (the step view's slider), run here too
      const script = document.createElement('script');
      for (const a of old.attributes) script.setAttribute(a.name, a.value);
      script.textContent = old.textContent;
      old.replaceWith(script);
    }
    return div;
  }
  const pre = el('pre', 'output text');
  pre.textContent = d['text/plain'] ?? '';
  return pre;
}

// ---- downloads ---------------------------------------------------------------------------------------------

/** The page's cells as a .dib, laid out as the notebook was: unedited, the very bytes of the course's file (DibFormat.Write). */
function dibText() {
  let text = data.dib.preamble, number = 0;
  for (const c of data.dib.cells) {
    const source = c.kernel === 'meta' ? c.source : sourceOf(++number);
    const newline = c.leading.includes('\r\n') || c.trailing.includes('\r\n') ? '\r\n' : '\n';
    if (c.directive !== null) text += '#!' + c.directive;
    text += c.leading + source.split('\n').join(newline) + c.trailing;
  }
  return text;
}

/** The page's cells as Jupyter's nbformat 4.5, as the .ipynb export writes them, without outputs (Ipynb.cs). */
function ipynbText() {
  const notebook = {
    cells: notebookCells.map((c, i) => {
      const cell = {
        cell_type: c.kernel === 'markdown' ? 'markdown' : 'code',
        id: data.ipynb.ids[i],
        metadata: { polyglot_notebook: { kernelName: c.kernel } },
        source: lines(sourceOf(i + 1)),
      };
      if (c.kernel !== 'markdown') Object.assign(cell, { execution_count: null, outputs: [] });
      return cell;
    }),
    metadata: data.ipynb.metadata,
    nbformat: 4,
    nbformat_minor: 5,
  };
  return json(notebook, 0) + '\n';
}

/** nbformat's multi-line string: a list of lines, each but the last with its "\n". */
function lines(text) {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((p, i) => i < parts.length - 1 || text.endsWith('\n') ? p + '\n' : p);
}

/** JSON as Jupyter saves it (json.dumps with sort_keys, indent=1, ensure_ascii=False), as JsonText.cs writes it. */
function json(value, level) {
  const pad = n => '\n' + ' '.repeat(n);
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : '[' + value.map(v => pad(level + 1) + json(v, level + 1)).join(',') + pad(level) + ']';
  }
  const keys = Object.keys(value).sort();
  return keys.length === 0 ? '{}' : '{' + keys.map(k => pad(level + 1) + quote(k) + ': ' + json(value[k], level + 1)).join(',') + pad(level) + '}';
}

function quote(s) {
  const escapes = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  return '"' + s.replace(/["\\\u0000-\u001f]/g, c => escapes[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- small helpers -----------------------------------------------------------------------------------------

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function button(text, title, action) {
  const b = el('button');
  b.type = 'button';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', action);
  return b;
}

if (location.protocol !== 'file:' && window.CodeMirror) start();
