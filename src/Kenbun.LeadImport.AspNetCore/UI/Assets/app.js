// The lead import page: upload, map, watch, fix. It calls the same HTTP API as any client, relative to its own
// address (the page is served at <api>/ui/), with the browser's credentials. Text from the API and from files is
// always set as text, never as HTML.

const api = new URL('../', document.baseURI);
const csrfHeader = { 'X-Requested-With': 'LeadImport' };
const finalStatuses = ['completed', 'failed', 'cancelled'];
const errorPageSize = 20;
const historyPageSize = 20;

let texts = {};
let settings = null;
let pollTimer = 0;

const numberFormat = () => new Intl.NumberFormat(document.documentElement.lang || undefined);

function t(key, values = {}) {
  const text = texts[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

// Builds an element: attributes (on* names are listeners, boolean true sets an empty attribute) and children
// (strings become text nodes; null and false are skipped).
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function formatSize(bytes) {
  const format = numberFormat();
  if (bytes < 1024) return t('size.bytes', { n: format.format(bytes) });
  if (bytes < 1024 * 1024) return t('size.kb', { n: format.format(Math.ceil(bytes / 1024)) });
  return t('size.mb', { n: new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024)) });
}

// "1 row", "320 rows": the plural form of the page's language, falling back to "other" when the texts have no such form.
function rowCount(n) {
  const form = new Intl.PluralRules(document.documentElement.lang || undefined).select(n);
  return t(`rows.${form}` in texts ? `rows.${form}` : 'rows.other', { n: numberFormat().format(n) });
}

function formatDuration(seconds) {
  return seconds < 90 ? t('time.seconds', { n: Math.max(1, Math.round(seconds)) }) : t('time.minutes', { n: Math.round(seconds / 60) });
}

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || undefined) : t('history.unknown');
}

// The message for a problem answer, in the person's words, with the API's own detail when it has one.
function problemMessage(status, problem) {
  const detail = problem?.detail ?? problem?.title ?? '';
  if (status === 0) return t('error.network');
  const key = `error.${status}`;
  return key in texts ? t(key, { detail, status }) : t('error.other', { status });
}

async function call(path, options = {}) {
  let response;
  try {
    response = await fetch(new URL(path, api), {
      credentials: 'same-origin',
      ...options,
      headers: { Accept: 'application/json', ...(options.method && options.method !== 'GET' ? csrfHeader : {}), ...options.headers },
    });
  } catch {
    return { ok: false, status: 0, body: null };
  }
  const type = response.headers.get('Content-Type') ?? '';
  const body = type.includes('json') ? await response.json().catch(() => null) : null;
  return { ok: response.ok, status: response.status, body };
}

function messageBox(kind, ...lines) {
  return h('div', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, lines.map(line => h('p', {}, line)));
}

function show(heading, ...content) {
  clearTimeout(pollTimer);
  const main = document.getElementById('main');
  const title = h('h2', { tabindex: '-1' }, heading);
  main.replaceChildren(title, ...content);
  title.focus();
}

// 1. Upload ---------------------------------------------------------------------------------------------------

function renderUpload(notice) {
  const status = h('div', { id: 'upload-status', 'aria-live': 'polite' });
  const progress = h('progress', { id: 'upload-progress', max: '100', value: '0', hidden: true, 'aria-label': t('upload.progressLabel') });
  const input = h('input', { type: 'file', id: 'file', name: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain' });
  const zone = h('div', { class: 'dropzone' },
    h('p', {}, t('upload.drop')),
    h('label', { for: 'file' }, t('upload.choose')), ' ', input,
    h('p', { class: 'hint' }, t('upload.limit', { size: formatSize(settings.max_file_bytes) })));

  input.addEventListener('change', () => input.files.length && upload(input.files[0], status, progress, input));
  zone.addEventListener('dragover', event => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer.files.length) upload(event.dataTransfer.files[0], status, progress, input);
  });

  show(t('upload.heading'), notice ?? '', zone, progress, status);
}

function upload(file, status, progress, input) {
  if (file.size > settings.max_file_bytes) {
    status.replaceChildren(messageBox('error', t('upload.tooLargeHere', { name: file.name, size: formatSize(file.size), limit: formatSize(settings.max_file_bytes) })));
    return;
  }
  if (file.size === 0) {
    status.replaceChildren(messageBox('error', t('upload.empty', { name: file.name })));
    return;
  }

  // XMLHttpRequest, not fetch: only it reports the progress of the request body.
  const form = new FormData();
  form.append('file', file, file.name);
  const request = new XMLHttpRequest();
  request.open('POST', new URL('preview', api));
  request.setRequestHeader('Accept', 'application/json');
  request.setRequestHeader('X-Requested-With', csrfHeader['X-Requested-With']);
  request.responseType = 'json';
  input.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  status.replaceChildren(h('p', {}, t('upload.progress', { name: file.name, percent: 0 })));
  request.upload.addEventListener('progress', event => {
    if (!event.lengthComputable) return;
    const percent = Math.floor((event.loaded / event.total) * 100);
    progress.value = percent;
    status.replaceChildren(h('p', {}, percent < 100 ? t('upload.progress', { name: file.name, percent }) : t('upload.checking', { name: file.name })));
  });
  const done = () => { input.disabled = false; progress.hidden = true; input.value = ''; };
  request.addEventListener('load', () => {
    done();
    if (request.status === 200) renderMapping(request.response);
    else status.replaceChildren(messageBox('error', problemMessage(request.status, request.response)));
  });
  request.addEventListener('error', () => { done(); status.replaceChildren(messageBox('error', t('error.network'))); });
  request.send(form);
}

// 2. Mapping --------------------------------------------------------------------------------------------------

function kindName(kind) {
  return t(`kind.${kind}`);
}

// A profile field's name for people: the texts name the built-in ones; a host's own field shows as it is configured.
function fieldName(field) {
  return `field.${field}` in texts ? t(`field.${field}`) : field;
}

function detectedKinds(preview) {
  const detected = new Map();
  const lists = preview.auto_detected_identifiers ?? {};
  for (const [list, kind] of [['email_columns', 'email'], ['phone_columns', 'phone'], ['external_id_columns', 'external_id'], ['social_columns', 'social']]) {
    for (const column of lists[list] ?? []) if (!detected.has(column)) detected.set(column, kind);
  }
  return detected;
}

function renderMapping(preview) {
  const detected = detectedKinds(preview);
  const suggested = preview.suggested_primary_identifier;
  const primaryColumn = h('select', { id: 'primary-column' },
    preview.headers.map(header => h('option', { value: header, selected: suggested?.column === header }, header)));
  const primaryKind = h('select', { id: 'primary-kind' },
    settings.identifier_kinds.map(kind => h('option', { value: kind, selected: (suggested?.kind ?? 'email') === kind }, kindName(kind))));
  const mode = h('select', { id: 'mode' }, settings.modes.map(m => h('option', { value: m }, t(`mode.${m}`))));
  const dryRun = h('input', { type: 'checkbox', id: 'dry-run' });
  const notes = new Map();
  const uses = new Map();

  const rows = preview.headers.map((header, index) => {
    const samples = preview.sample_rows.map(row => row[index] ?? '').filter(value => value !== '').slice(0, 3).join(' · ');
    const select = h('select', { id: `use-${index}`, 'aria-label': t('map.useLabel', { column: header }) },
      h('option', { value: '' }, t('map.skip')),
      h('optgroup', { label: t('map.fieldsGroup') }, settings.profile_fields.map(field => h('option', { value: field }, fieldName(field)))),
      h('optgroup', { label: t('map.aliasesGroup') },
        settings.identifier_kinds.map(kind => h('option', { value: `_alias_${kind}` }, t('alias.option', { kind: kindName(kind) })))));
    const suggestedField = preview.suggested_field_mappings?.[header];
    if (suggestedField) select.value = suggestedField;
    else if (detected.has(header) && header !== suggested?.column) select.value = `_alias_${detected.get(header)}`;
    const note = h('span', { class: 'note', id: `note-${index}` });
    select.setAttribute('aria-describedby', note.id);
    notes.set(header, note);
    uses.set(header, select);
    const primaryBadge = h('span', { class: 'badge', hidden: primaryColumn.value !== header }, t('map.primaryUse'));
    primaryColumn.addEventListener('change', () => { primaryBadge.hidden = primaryColumn.value !== header; select.disabled = primaryColumn.value === header; });
    select.disabled = primaryColumn.value === header;
    return h('tr', {},
      h('th', { scope: 'row' }, header, detected.has(header) ? h('span', { class: 'badge' }, t('map.detected', { kind: kindName(detected.get(header)) })) : null, primaryBadge),
      h('td', { class: 'samples' }, samples),
      h('td', {}, select, note));
  });

  const general = h('div', { id: 'map-messages' });
  const start = h('button', { type: 'button', id: 'start' }, t('map.start'));
  const discard = h('button', { type: 'button', class: 'secondary', id: 'discard' }, t('map.discard'));

  start.addEventListener('click', async () => {
    for (const note of notes.values()) { note.textContent = ''; note.className = 'note'; }
    general.replaceChildren();
    const fieldMappings = {};
    const aliasMappings = {};
    for (const [header, select] of uses) {
      if (select.disabled || !select.value) continue;
      if (select.value.startsWith('_alias_')) aliasMappings[header] = select.value;
      else fieldMappings[header] = select.value;
    }
    start.disabled = true;
    const answer = await call('start', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        file_id: preview.file_id,
        primary_identifier: { column: primaryColumn.value, kind: primaryKind.value },
        field_mappings: fieldMappings,
        alias_mappings: aliasMappings,
        mode: mode.value,
        dry_run: dryRun.checked,
      }),
    });
    start.disabled = false;
    if (answer.status === 202) {
      const ignored = answer.body.ignored_mappings ?? [];
      if (ignored.length === 0) { location.hash = `#/jobs/${encodeURIComponent(answer.body.job_id)}`; return; }
      for (const mapping of ignored) markNote(notes.get(mapping.column), 'warn', t('map.ignored', { reason: mapping.reason }), general);
      start.disabled = true;
      general.replaceChildren(messageBox('info', t('map.ignoredContinue')),
        h('a', { class: 'button', href: `#/jobs/${encodeURIComponent(answer.body.job_id)}` }, t('map.continue')));
      return;
    }
    showStartProblem(answer, notes, general);
  });

  discard.addEventListener('click', async () => {
    await call(`previews/${encodeURIComponent(preview.file_id)}`, { method: 'DELETE' });
    renderUpload(messageBox('info', t('map.discarded')));
  });

  show(t('map.heading'),
    h('p', {}, t('map.file', { name: preview.file_name, rows: rowCount(preview.row_count), encoding: preview.encoding, delimiter: preview.delimiter === '\t' ? 'Tab' : preview.delimiter })),
    h('div', { class: 'fields' },
      h('div', { class: 'field' }, h('label', { for: 'primary-column' }, t('map.primaryColumn')), primaryColumn, h('span', { class: 'hint' }, t('map.primaryHint'))),
      h('div', { class: 'field' }, h('label', { for: 'primary-kind' }, t('map.primaryKind')), primaryKind),
      h('div', { class: 'field' }, h('label', { for: 'mode' }, t('map.mode')), mode),
      h('div', { class: 'field check' }, dryRun, ' ', h('label', { for: 'dry-run' }, t('map.dryRun')))),
    h('div', { class: 'table-scroll', role: 'region', 'aria-label': t('map.caption'), tabindex: '0' },
      h('table', { class: 'mapping' },
        h('caption', {}, t('map.caption')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('map.column')), h('th', { scope: 'col' }, t('map.samples')), h('th', { scope: 'col' }, t('map.use')))),
        h('tbody', {}, rows))),
    general,
    h('div', { class: 'actions' }, start, discard));
}

function markNote(note, kind, text, general) {
  if (!note) { general.append(messageBox(kind === 'warn' ? 'info' : 'error', text)); return; }
  note.textContent = text;
  note.className = `note ${kind}`;
}

// The column a request path names: field_mappings.First Name, or field_mappings['E-mail (work)'] for other names.
function mappedColumn(path) {
  const match = path.match(/^(?:field_mappings|alias_mappings)(?:\.(.+)|\['((?:[^'\\]|\\.)*)'\])$/);
  return match ? match[1] ?? match[2].replace(/\\'/g, "'") : null;
}

// A 400 names each problem by its request path (field_mappings.<column>, alias_mappings.<column>,
// primary_identifier.column): each is shown next to the column it concerns, the rest above the buttons.
function showStartProblem(answer, notes, general) {
  if (answer.status !== 400 || !answer.body?.errors) {
    general.replaceChildren(messageBox('error', problemMessage(answer.status, answer.body)));
    return;
  }
  general.replaceChildren(messageBox('error', t('map.invalid')));
  for (const [path, messages] of Object.entries(answer.body.errors)) {
    const column = mappedColumn(path) ?? (path.startsWith('primary_identifier') ? document.getElementById('primary-column').value : null);
    for (const message of messages) markNote(column ? notes.get(column) : null, 'error', message, general);
  }
}

// 3 and 4. Progress and result --------------------------------------------------------------------------------

function counters(job) {
  const format = numberFormat();
  return h('ul', { class: 'counters' },
    ['created', 'updated', 'failed', 'skipped'].map(name =>
      h('li', {}, h('span', { class: 'value', id: `count-${name}` }, format.format(job[`${name}_count`])), t(`counter.${name}`))));
}

async function renderJob(jobId) {
  const answer = await call(`jobs/${encodeURIComponent(jobId)}`);
  if (!answer.ok) { show(t('job.heading'), messageBox('error', problemMessage(answer.status, answer.body))); return; }
  if (finalStatuses.includes(answer.body.status)) { renderResult(answer.body); return; }

  const progress = h('progress', { id: 'job-progress', max: '1', value: '0' });
  const label = h('div', { class: 'progress-label', id: 'job-progress-label' });
  progress.setAttribute('aria-labelledby', label.id);
  const status = h('p', { id: 'job-status', role: 'status', 'aria-live': 'polite' });
  const box = h('div', {});
  const cancel = h('button', { type: 'button', class: 'secondary', id: 'cancel' }, t('job.cancel'));
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    const result = await call(`jobs/${encodeURIComponent(jobId)}/cancel`, { method: 'POST' });
    if (!result.ok && result.status !== 409) status.replaceChildren(messageBox('error', problemMessage(result.status, result.body)));
  });
  show(t('job.heading'), h('p', {}, t('job.file', { name: answer.body.file_name })), status, progress, label, box, h('div', { class: 'actions' }, cancel));

  const samples = [];
  const update = job => {
    const format = numberFormat();
    const total = Math.max(job.total_rows, 1);
    progress.max = total;
    progress.value = job.processed_rows;
    samples.push({ at: Date.now(), rows: job.processed_rows });
    while (samples.length > 1 && samples[0].at < Date.now() - 10000) samples.shift();
    const first = samples[0];
    const last = samples[samples.length - 1];
    const rate = last.at > first.at ? ((last.rows - first.rows) * 1000) / (last.at - first.at) : 0;
    const parts = [h('span', {}, t('job.progress', { processed: format.format(job.processed_rows), total: format.format(job.total_rows) }))];
    if (rate > 0) {
      parts.push(h('span', {}, t('job.rate', { rate: format.format(Math.round(rate)) })));
      parts.push(h('span', {}, t('job.timeLeft', { time: formatDuration((job.total_rows - job.processed_rows) / rate) })));
    }
    label.replaceChildren(...parts);
    status.textContent = job.cancel_requested ? t('job.cancelRequested')
      : job.stalled_since ? t('job.stalled', { since: formatTime(job.stalled_since), reason: job.stalled_reason ?? '' })
      : t(`job.status.${job.status}`);
    box.replaceChildren(counters(job));
    cancel.disabled = cancel.disabled || job.cancel_requested;
  };
  update(answer.body);

  const poll = async () => {
    if (!location.hash.startsWith(`#/jobs/${encodeURIComponent(jobId)}`)) return;
    const next = await call(`jobs/${encodeURIComponent(jobId)}`);
    if (next.ok && finalStatuses.includes(next.body.status)) { renderResult(next.body); return; }
    if (next.ok) update(next.body);
    pollTimer = setTimeout(poll, 1000);
  };
  pollTimer = setTimeout(poll, 1000);
}

function renderResult(job) {
  const parts = [
    h('p', { id: 'job-status', class: `status-${job.status}` }, t(`job.status.${job.status}`)),
    h('p', {}, t('job.file', { name: job.file_name }), job.created_by ? ` · ${t('job.by', { name: job.created_by })}` : ''),
    counters(job),
  ];
  if (job.dry_run) parts.push(messageBox('info', t('job.dryRun')));
  if (job.failure_reason) parts.push(messageBox('error', t('job.failureReason', { reason: job.failure_reason })));

  const errors = h('div', { id: 'errors' });
  parts.push(errors);
  if (job.failed_count > 0) {
    parts.push(h('div', { class: 'actions' },
      h('a', { class: 'button', id: 'download-failed', href: new URL(`jobs/${encodeURIComponent(job.job_id)}/failed-rows.csv`, api).href, download: `failed-rows-${job.job_id}.csv` }, t('job.downloadFailed'))),
      h('p', { class: 'hint' }, t('job.downloadHint')));
  }
  if (job.warnings?.length) {
    parts.push(table(t('job.warningsCaption', { total: numberFormat().format(job.warning_count) }), [t('job.row'), t('job.warning'), t('job.value')],
      job.warnings.map(w => [numberFormat().format(w.row), w.warning, w.value])));
  }
  parts.push(h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/' }, t('job.another'))));
  show(t('job.resultHeading'), ...parts);
  if (job.failed_count > 0) renderErrorPage(job, 1, errors);
  else errors.replaceChildren(h('p', {}, t('job.noErrors')));
}

async function renderErrorPage(job, page, container) {
  const answer = await call(`jobs/${encodeURIComponent(job.job_id)}/errors?page=${page}&limit=${errorPageSize}`);
  if (!answer.ok) { container.replaceChildren(messageBox('error', problemMessage(answer.status, answer.body))); return; }
  const pages = Math.max(1, Math.ceil(answer.body.total / errorPageSize));
  container.replaceChildren(
    table(t('job.errorsCaption', { total: numberFormat().format(answer.body.total) }), [t('job.row'), t('job.error'), t('job.value')],
      answer.body.errors.map(e => [numberFormat().format(e.row), e.detail ? `${e.error}: ${e.detail}` : e.error, e.value]), 'errors-table'),
    pager(page, pages, next => renderErrorPage(job, next, container).then(() => document.getElementById('errors-table')?.focus())));
}

function table(caption, headings, rows, id) {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: '0', id },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((heading, i) => h('th', { scope: 'col', class: i === 0 ? 'number' : null }, heading)))),
      h('tbody', {}, rows.map(row => h('tr', {}, row.map((cell, i) => h('td', { class: i === 0 ? 'number' : null }, cell)))))));
}

function pager(page, pages, go) {
  if (pages <= 1) return '';
  return h('nav', { class: 'pager', 'aria-label': t('pager.position', { page, pages }) },
    h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => go(page - 1) }, t('pager.previous')),
    h('span', {}, t('pager.position', { page, pages })),
    h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => go(page + 1) }, t('pager.next')));
}

// 5. History --------------------------------------------------------------------------------------------------

async function renderHistory(page = 1) {
  const answer = await call(`jobs?page=${page}&limit=${historyPageSize}`);
  if (!answer.ok) { show(t('history.heading'), messageBox('error', problemMessage(answer.status, answer.body))); return; }
  const format = numberFormat();
  const pages = Math.max(1, Math.ceil(answer.body.total / historyPageSize));
  if (answer.body.jobs.length === 0) { show(t('history.heading'), h('p', {}, t('history.empty'))); return; }
  show(t('history.heading'),
    h('div', { class: 'table-scroll', role: 'region', 'aria-label': t('history.caption'), tabindex: '0' },
      h('table', { id: 'history' },
        h('caption', {}, t('history.caption')),
        h('thead', {}, h('tr', {}, [t('history.file'), t('history.status'), t('history.started'), t('history.by'), t('history.rows'),
          t('counter.created'), t('counter.updated'), t('counter.failed')].map((heading, i) => h('th', { scope: 'col', class: i >= 4 ? 'number' : null }, heading)))),
        h('tbody', {}, answer.body.jobs.map(job => h('tr', {},
          h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.job_id)}` }, job.file_name)),
          h('td', { class: `status-${job.status}` }, t(`job.status.${job.status}`)),
          h('td', {}, formatTime(job.created_at)),
          h('td', {}, job.created_by ?? t('history.unknown')),
          ...['total_rows', 'created_count', 'updated_count', 'failed_count'].map(name => h('td', { class: 'number' }, format.format(job[name])))))))),
    pager(page, pages, renderHistory));
}

// Start -------------------------------------------------------------------------------------------------------

function route() {
  const hash = location.hash || '#/';
  const job = hash.match(/^#\/jobs\/([^/]+)$/);
  if (job) renderJob(decodeURIComponent(job[1]));
  else if (hash === '#/history') renderHistory();
  else renderUpload();
}

async function start() {
  texts = await (await fetch('texts.json')).json();
  if (texts.lang) document.documentElement.lang = texts.lang;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-text]')) element.textContent = t(element.dataset.text);
  const answer = await call('settings');
  if (!answer.ok) { show(t('title'), messageBox('error', problemMessage(answer.status, answer.body))); return; }
  settings = answer.body;
  window.addEventListener('hashchange', route);
  route();
}

start();
