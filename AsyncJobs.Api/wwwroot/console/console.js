// The live jobs console: sign in with an API key (kept in this tab's sessionStorage, sent only as a header),
// then the tenant's jobs, dead letters and webhooks, kept current by the tenant event stream without reloads.
import { ApiClient, ApiProblem } from './api.js';
import { TenantEventStream } from './tenant-event-stream.js';
import { JobDetail } from './job-detail.js';
import { WebhooksView } from './webhooks-view.js';
import { badge, el, formatTime, shortId } from './dom.js';

const keyStorage = 'asyncjobs.apiKey';
const tokenStorage = 'asyncjobs.jobTokens';
const signOutReasonStorage = 'asyncjobs.signOutReason';
const unfinished = new Set(['queued', 'running', 'retrying']);
const terminal = new Set(['succeeded', 'failed', 'cancelled']);
const $ = id => document.getElementById(id);

const state = {
  api: null,
  stream: null,
  jobs: new Map(),       // id → the job as last seen (list, GET or event)
  pending: new Map(),    // id → events that arrived while GET /jobs/{id} is in flight for a job first seen
  list: [],              // ids shown in the jobs view, newest first
  nextCursor: null,
  deadLetters: null,     // ids shown in the dead-letter view (null until it is opened)
  view: 'jobs',
  detail: null,
  webhooks: null,
};

// ----- session -----

function announce(message) {
  const announcer = $('announcer');
  announcer.textContent = '';
  requestAnimationFrame(() => { announcer.textContent = message; });
}

function jobTokens() {
  try { return JSON.parse(sessionStorage.getItem(tokenStorage) ?? '{}'); } catch { return {}; }
}

function rememberJobToken(id, token) {
  const tokens = jobTokens();
  tokens[id] = token;
  const ids = Object.keys(tokens);
  for (const old of ids.slice(0, Math.max(0, ids.length - 200))) delete tokens[old];
  sessionStorage.setItem(tokenStorage, JSON.stringify(tokens));
}

async function signIn(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  const error = $('sign-in-error');
  error.textContent = '';
  if (!key) {
    error.textContent = 'Enter an API key.';
    $('api-key').focus();
    return;
  }
  const api = new ApiClient(key);
  try {
    await api.get('/jobs?limit=1');
  } catch (problem) {
    error.textContent = problem.status === 401 ? 'That API key was not accepted.'
      : problem.status === 403 ? 'That is a job token: sign in with an API key (ajk_…).'
      : `Could not sign in: ${problem.message}`;
    $('api-key').select();
    return;
  }
  sessionStorage.setItem(keyStorage, key);
  $('api-key').value = '';
  await start(api);
  $('main').focus();
  announce('Signed in.');
}

// A reload is the surest way to drop every job, stream and listener of the session; the reason survives it.
function signOut(reason = '') {
  state.stream?.close();
  sessionStorage.removeItem(keyStorage);
  sessionStorage.removeItem(tokenStorage);
  if (reason) sessionStorage.setItem(signOutReasonStorage, reason);
  location.reload();
}

async function start(api) {
  state.api = api;
  state.detail = new JobDetail({ api, jobTokens, announce, onAction: runAction });
  state.webhooks = new WebhooksView({ api, announce });
  $('sign-in').hidden = true;
  $('workspace').hidden = false;
  $('session').hidden = false;
  // The stream opens first, so no event between the first list and the stream is missed.
  state.stream = new TenantEventStream(api, { onEvent: applyEvent, onStatus: showStreamStatus });
  await state.stream.open();
  await loadJobs();
}

function showStreamStatus(status) {
  const element = $('stream-status');
  const labels = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorized: 'Signed out' };
  element.dataset.state = status === 'live' ? 'live' : status === 'unauthorized' ? 'offline' : 'connecting';
  element.textContent = labels[status] ?? status;
  if (status === 'unauthorized') signOut('The API key is no longer accepted: sign in again.');
}

// ----- the job model, fed by lists, GETs and events -----

function remember(job) {
  const known = state.jobs.get(job.id);
  // Events are newer than any list fetched before them: a list never overwrites what the stream said.
  const merged = known?.sequence ? { ...job, ...pickLive(known) } : { ...known, ...job };
  state.jobs.set(job.id, merged);
  return merged;
}

const pickLive = job => ({ status: job.status, attempt: job.attempt, progress: job.progress, error: job.error, sequence: job.sequence });

function applyEvent(type, data) {
  const known = state.jobs.get(data.jobId);
  if (known?.sequence >= data.sequence) return;
  if (!known) {
    fetchNewJob(data.jobId, { type, data });
    return;
  }
  const job = {
    ...known,
    status: data.status,
    attempt: data.attempt,
    progress: data.progress ?? known.progress,
    error: data.error,
    result: data.result,
    sequence: data.sequence,
    finishedAt: terminal.has(data.status) ? data.occurredAt : null,
  };
  state.jobs.set(job.id, job);
  renderJob(job);
  state.detail.applyEvent(type, data);
  if (terminal.has(data.status) && known.status !== data.status) announce(`Job ${shortId(job.id)} ${data.status}.`);
  if (data.status === 'failed') addDeadLetter(job.id);
}

// The job's events keep coming while its GET is in flight, and the GET may have read the job before them: they are
// held and applied on top of its answer, so the row ends on the newest event whatever the timing.
function fetchNewJob(id, event = null) {
  const held = state.pending.get(id);
  if (held) {
    if (event) held.push(event);
    return;
  }
  const events = event ? [event] : [];
  state.pending.set(id, events);
  state.api.get(`/jobs/${id}`).then(job => {
    state.pending.delete(id);
    const merged = remember(job);
    if (matchesFilters(merged) && !state.list.includes(id)) {
      insertNewestFirst(merged);
      $('jobs-empty').hidden = true;
    }
    if (merged.status === 'failed') addDeadLetter(id);
    for (const held of events) applyEvent(held.type, held.data);
  }, () => {
    // The next event of this job asks again.
    state.pending.delete(id);
  });
}

// Jobs first seen on the stream arrive in any order; the list stays newest first (UUIDv7 ids sort by creation).
function insertNewestFirst(job) {
  const index = state.list.findIndex(id => id < job.id);
  const position = index === -1 ? state.list.length : index;
  const before = index === -1 ? null : $('jobs-body').querySelector(`tr[data-job-id="${state.list[index]}"]`);
  state.list.splice(position, 0, job.id);
  $('jobs-body').insertBefore(jobRow(job), before);
}

function filters() {
  const form = new FormData($('filters'));
  return { state: form.get('state') ?? '', type: form.get('type') ?? '' };
}

function matchesFilters(job) {
  const { state: wanted, type } = filters();
  return (!wanted || job.status === wanted) && (!type || job.type === type);
}

// ----- jobs view -----

async function loadJobs(append = false) {
  const { state: wanted, type } = filters();
  const query = new URLSearchParams({ limit: '25' });
  if (wanted) query.set('state', wanted);
  if (type) query.set('type', type);
  if (append && state.nextCursor) query.set('cursor', state.nextCursor);
  let page;
  try {
    page = await state.api.get(`/jobs?${query}`);
  } catch (problem) {
    announce(`Could not load jobs: ${problem.message}`);
    return;
  }
  if (!append) {
    state.list = [];
    $('jobs-body').replaceChildren();
  }
  for (const item of page.items) {
    const job = remember(item);
    if (state.list.includes(job.id)) continue;
    state.list.push(job.id);
    $('jobs-body').append(jobRow(job));
  }
  state.nextCursor = page.nextCursor;
  $('jobs-more').hidden = !page.nextCursor;
  $('jobs-empty').hidden = state.list.length > 0;
}

function jobRow(job) {
  const label = shortId(job.id);
  const row = el('tr', { dataset: { jobId: job.id } },
    el('td', {}, el('button', { type: 'button', class: 'link-button mono', 'aria-label': `Details of job ${label}`, dataset: { action: 'details' }, text: label })),
    el('td', { class: 'mono', dataset: { field: 'type' } }),
    el('td', { dataset: { field: 'status' } }),
    el('td', { dataset: { field: 'attempt' } }),
    el('td', {},
      el('div', { class: 'progress-cell' },
        el('progress', { max: '100', value: '0', 'aria-label': `Progress of job ${label}`, dataset: { field: 'progress' } }),
        el('span', { class: 'percent', dataset: { field: 'percent' } })),
      el('span', { class: 'step-message', dataset: { field: 'message' } })),
    el('td', { dataset: { field: 'created' } }),
    el('td', {}, el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'button-danger', 'aria-label': `Cancel job ${label}`, dataset: { action: 'cancel' }, text: 'Cancel' }),
      el('button', { type: 'button', 'aria-label': `Retry job ${label}`, dataset: { action: 'retry' }, text: 'Retry' }))));
  fillJobRow(row, job);
  return row;
}

function fillJobRow(row, job) {
  row.dataset.status = job.status;
  row.classList.toggle('selected', state.detail?.jobId === job.id);
  const field = name => row.querySelector(`[data-field="${name}"]`);
  if (field('type')) field('type').textContent = job.type ?? '';
  field('status').replaceChildren(badge(job.status));
  field('attempt').textContent = job.maxAttempts ? `${job.attempt} / ${job.maxAttempts}` : String(job.attempt ?? 0);
  const percent = job.progress?.percent ?? 0;
  const bar = field('progress');
  if (bar) {
    bar.value = percent;
    bar.setAttribute('aria-valuetext', `${percent}%${job.progress?.message ? `, ${job.progress.message}` : ''}`);
    field('percent').textContent = `${percent}%`;
    field('message').textContent = job.progress?.message ?? '';
  }
  if (field('created')) field('created').textContent = formatTime(job.createdAt);
  if (field('error')) field('error').textContent = describeError(job.error);
  if (field('finished')) field('finished').textContent = formatTime(job.finishedAt);
  row.querySelector('[data-action="cancel"]')?.toggleAttribute('hidden', !unfinished.has(job.status));
  row.querySelector('[data-action="retry"]')?.toggleAttribute('hidden', job.status !== 'failed');
}

const describeError = error => error ? [error.type, error.message].filter(Boolean).join(': ') : '';

function renderJob(job) {
  for (const row of document.querySelectorAll(`tr[data-job-id="${job.id}"]`)) fillJobRow(row, job);
}

// ----- dead letters -----

async function loadDeadLetters() {
  let page;
  try {
    page = await state.api.get('/jobs?state=failed&limit=100');
  } catch (problem) {
    announce(`Could not load dead letters: ${problem.message}`);
    return;
  }
  state.deadLetters = [];
  $('dead-letters-body').replaceChildren();
  for (const item of page.items) {
    // The list has no error: read each dead letter (they are few, and the error is what an operator needs).
    const job = remember(await state.api.get(`/jobs/${item.id}`).catch(() => item));
    state.deadLetters.push(job.id);
    $('dead-letters-body').append(deadLetterRow(job));
  }
  $('dead-letters-empty').hidden = state.deadLetters.length > 0;
}

async function addDeadLetter(id) {
  if (state.deadLetters === null || state.deadLetters.includes(id)) return;
  state.deadLetters.unshift(id);
  const job = remember(await state.api.get(`/jobs/${id}`).catch(() => state.jobs.get(id)));
  $('dead-letters-body').prepend(deadLetterRow(job));
  $('dead-letters-empty').hidden = true;
}

function deadLetterRow(job) {
  const label = shortId(job.id);
  const row = el('tr', { dataset: { jobId: job.id } },
    el('td', {}, el('button', { type: 'button', class: 'link-button mono', 'aria-label': `Details of job ${label}`, dataset: { action: 'details' }, text: label })),
    el('td', { class: 'mono', dataset: { field: 'type' } }),
    el('td', { dataset: { field: 'status' } }),
    el('td', { dataset: { field: 'attempt' } }),
    el('td', { dataset: { field: 'error' } }),
    el('td', { dataset: { field: 'finished' } }),
    el('td', {}, el('div', { class: 'actions' },
      el('button', { type: 'button', 'aria-label': `Retry job ${label}`, dataset: { action: 'retry' }, text: 'Retry' }))));
  fillJobRow(row, job);
  return row;
}

// ----- actions -----

async function runAction(action, id, opener) {
  const label = shortId(id);
  try {
    if (action === 'details') {
      await state.detail.open(id, opener);
      for (const row of document.querySelectorAll('tr[data-job-id]')) row.classList.toggle('selected', row.dataset.jobId === id);
      return;
    }
    if (action === 'cancel') {
      const answer = await state.api.post(`/jobs/${id}/cancel`);
      // The stream may have brought job.cancelled before this answer: say what holds now.
      const now = state.jobs.get(id)?.status ?? answer.status;
      announce(now === 'cancelled' || answer.status === 'cancelled' ? `Job ${label} cancelled.` : `Cancelling job ${label}…`);
    } else if (action === 'retry') {
      await state.api.post(`/jobs/${id}/retry`);
      announce(`Job ${label} queued again.`);
    }
  } catch (problem) {
    announce(problem instanceof ApiProblem ? `Job ${label}: ${problem.title ?? problem.message}` : `Job ${label}: ${problem}`);
  }
}

function onTableClick(event) {
  const button = event.target.closest('button[data-action]');
  const row = button?.closest('tr[data-job-id]');
  if (!button || !row) return;
  runAction(button.dataset.action, row.dataset.jobId, button);
}

async function submitDemo(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const alwaysFail = form.get('alwaysFail') === 'on';
  const body = {
    type: 'demo.simulate',
    payload: { steps: Number(form.get('steps')), stepDurationMs: Number(form.get('stepDurationMs')), alwaysFail },
    ...(alwaysFail ? { maxAttempts: 1 } : {}),
  };
  const message = $('demo-message');
  try {
    const accepted = await state.api.post('/jobs', body, { 'Idempotency-Key': crypto.randomUUID() });
    rememberJobToken(accepted.id, accepted.jobToken);
    message.textContent = `Submitted job ${shortId(accepted.id)}.`;
    fetchNewJob(accepted.id);
  } catch (problem) {
    message.textContent = `Not submitted: ${problem.message}`;
  }
}

// ----- views -----

function showView(view) {
  state.view = view;
  for (const tab of document.querySelectorAll('.tab')) {
    if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  for (const name of ['jobs', 'dead-letters', 'webhooks']) $(`view-${name}`).hidden = name !== view;
  if (view === 'dead-letters') loadDeadLetters();
  if (view === 'webhooks') state.webhooks.load();
}

document.addEventListener('DOMContentLoaded', async () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut());
  $('filters').addEventListener('submit', event => { event.preventDefault(); loadJobs(); });
  $('jobs-more').addEventListener('click', () => loadJobs(true));
  $('demo-form').addEventListener('submit', submitDemo);
  $('jobs-body').addEventListener('click', onTableClick);
  $('dead-letters-body').addEventListener('click', onTableClick);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => showView(tab.dataset.view));

  const key = sessionStorage.getItem(keyStorage);
  if (key) {
    await start(new ApiClient(key));
    return;
  }
  $('sign-in-error').textContent = sessionStorage.getItem(signOutReasonStorage) ?? '';
  sessionStorage.removeItem(signOutReasonStorage);
  $('api-key').focus();
});
