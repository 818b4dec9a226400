// The live course's worker: runs C# cells in .NET WebAssembly, off the page's thread.
// A module worker: new Worker("live/worker.js", { type: "module" }). It speaks the messages of
// src/Micrograd.Browser/PROTOCOL.md: init → progress… → ready; run → output/update/clear… → done; fatal.
import { dotnet } from './_framework/dotnet.js';

const live = new URL('./', import.meta.url);
const post = (message) => self.postMessage(message);

let flag = null;      // Int32Array over the page's SharedArrayBuffer: element 0 is 1 when the page asks to stop
let program = null;   // the [JSExport]s of Micrograd.Browser.Program
let ready = null;     // the promise of init
let queue = Promise.resolve();
let failed = false;
let loaded = 0, total = 0, shown = 0;

self.onmessage = ({ data: message }) => {
  if (message.type === 'init') {
    ready ??= init(message).catch((e) => fail(e));
  } else if (message.type === 'run') {
    queue = queue.then(() => ready).then(() => run(message));
  }
};

function fail(e) {
  failed = true;
  post({ type: 'fatal', message: String(e && e.message ? e.message : e) });
}

function progress(text, now) {
  const at = performance.now();
  if (!now && at - shown < 100) return;
  shown = at;
  post({ type: 'progress', loaded, total, text });
}

/** The response with its body counted into the progress as it arrives. */
function counted(response, text) {
  if (!response.ok || !response.body) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) { controller.close(); return; }
      loaded += value.byteLength;
      progress(text, false);
      controller.enqueue(value);
    },
    cancel(reason) { return reader.cancel(reason); },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function download(url, text) {
  const response = counted(await fetch(url, { cache: 'no-cache' }), text);
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A file of the live folder, now: a synchronous request (allowed in a worker) for code that cannot wait. */
function fetchNow(url) {
  const request = new XMLHttpRequest();
  request.open('GET', new URL(url, live).href, false);
  request.responseType = 'arraybuffer';
  request.send();
  if (request.status !== 200) throw new Error(`could not load ${url}: HTTP ${request.status}`);
  return new Uint8Array(request.response);
}

const mime = (mimeTypes, contents) => Object.fromEntries(mimeTypes.map((m, i) => [m, contents[i]]));

const imports = {
  postStream: (id, name, text) => post({ type: 'output', id, output: { kind: 'stream', name, text } }),
  postDisplay: (id, displayId, mimeTypes, contents, result) =>
    post({ type: 'output', id, output: { kind: 'display', displayId, data: mime(mimeTypes, contents), result } }),
  postUpdate: (displayId, mimeTypes, contents) => post({ type: 'update', displayId, data: mime(mimeTypes, contents) }),
  postClear: (id, wait) => post({ type: 'clear', id, wait }),
  postDone: (id, status, ename, evalue, ms) =>
    post({ type: 'done', id, status, error: status === 'ok' ? null : { ename, evalue }, ms }),
  stopRequested: () => flag !== null && Atomics.load(flag, 0) === 1,
  fetchNow,
};

async function init({ base, files, interrupt }) {
  flag = interrupt ? new Int32Array(interrupt) : null;
  const manifest = await (await fetch(new URL('manifest.json', live), { cache: 'no-cache' })).json();
  const sizes = new Map(manifest.files.map((f) => [f.path, f.size]));
  const lazy = new Set(manifest.lazy.map((name) => `_framework/${name}.dll`));
  // What the runtime fetches itself (its JavaScript modules are imported, not counted).
  for (const f of manifest.files)
    if (f.path.startsWith('_framework/') && !f.path.endsWith('.js') && !lazy.has(f.path) && !f.path.endsWith('.pdb')) total += f.size;
  const text = 'loading the .NET runtime and the C# compiler…';
  progress(text, true);

  const runtime = await dotnet
    .withResourceLoader((type, name, url, integrity) => type === 'dotnetjs' ? null
      : fetch(url, { cache: 'no-cache', integrity: integrity || undefined }).then((r) => counted(r, text)))
    .create();
  runtime.setModuleImports('worker', imports);
  program = (await runtime.getAssemblyExports('Micrograd.Browser')).Micrograd.Browser.Program;

  const references = manifest.files.filter((f) => f.path.startsWith('refs/')).map((f) => f.path.slice('refs/'.length));
  const wanted = program.Prepare(references, manifest.lazy);
  for (const url of wanted) total += sizes.get(url) ?? 0;
  const more = 'loading the reference assemblies and the course’s files…';
  progress(more, true);
  await Promise.all([
    ...wanted.map(async (url) => program.AddReference(url, await download(new URL(url, live), more))),
    ...files.map(async (f) => program.WriteFile(f.path, await download(new URL(f.url, base), more))),
  ]);
  program.Start();
  progress('ready', true);
  post({ type: 'ready' });
}

async function run({ id, name, code }) {
  if (failed) return;
  if (flag !== null) Atomics.store(flag, 0, 0);
  try {
    await program.Run(id, name, code);
  } catch (e) {
    // The core reports every error of a cell itself; this is the worker failing.
    post({ type: 'done', id, status: 'error', error: { ename: 'WorkerError', evalue: `${name}: ${e && e.message ? e.message : e}` }, ms: 0 });
  }
}
