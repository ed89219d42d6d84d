// One job's detail: its fields, progress, result or error, and its event timeline. The timeline is the job's own
// event stream replayed from the start (?lastEventId=0) when this tab holds the job's token (jobs submitted here);
// otherwise it is the job's history from GET /jobs/{id}, with live events from the tenant stream added after it.
import { jobEventTypes } from './tenant-event-stream.js';
import { badge, el, formatDateTime, formatTime, json, shortId } from './dom.js';

const unfinished = new Set(['queued', 'running', 'retrying']);
const terminal = new Set(['succeeded', 'failed', 'cancelled']);
const $ = id => document.getElementById(id);

export class JobDetail {
  #api;
  #jobTokens;
  #announce;
  #onAction;
  #job = null;
  #opener = null;
  #stream = null;
  #shown = new Set();

  constructor({ api, jobTokens, announce, onAction }) {
    this.#api = api;
    this.#jobTokens = jobTokens;
    this.#announce = announce;
    this.#onAction = onAction;
    $('detail-close').addEventListener('click', () => this.close());
    $('detail-cancel').addEventListener('click', event => this.#job && this.#onAction('cancel', this.#job.id, event.currentTarget));
    $('detail-retry').addEventListener('click', event => this.#job && this.#onAction('retry', this.#job.id, event.currentTarget));
    $('job-detail').addEventListener('keydown', event => { if (event.key === 'Escape') this.close(); });
  }

  get jobId() { return this.#job?.id ?? null; }

  async open(id, opener) {
    this.close(false);
    const job = await this.#api.get(`/jobs/${id}`);
    this.#job = job;
    this.#opener = opener;
    this.#shown.clear();
    $('job-detail-title').textContent = `Job ${shortId(id)}`;
    this.#renderJob(job);
    $('detail-timeline').replaceChildren();

    const token = this.#jobTokens()[id];
    if (token && job.links?.events) {
      $('detail-timeline-source').textContent = '(replayed from the job\'s event stream)';
      this.#replay(job.links.events, token);
    } else {
      $('detail-timeline-source').textContent = '(history; live events are added as they arrive)';
      for (const entry of job.history ?? []) {
        $('detail-timeline').append(timelineItem(entry.status, entry.at, `${entry.status} · attempt ${entry.attempt}`, entry.error));
      }
    }
    $('job-detail').hidden = false;
    $('job-detail').focus();
  }

  /** An event from the tenant stream. */
  applyEvent(type, data) {
    if (!this.#job || data.jobId !== this.#job.id) return;
    this.#job = { ...this.#job, status: data.status, attempt: data.attempt, progress: data.progress, error: data.error, result: data.result };
    this.#renderJob(this.#job);
    if (!this.#stream) this.#addEvent(type, data);
    if (terminal.has(data.status)) {
      // The full document has finishedAt and the history; the event already had the result or error.
      this.#api.get(`/jobs/${data.jobId}`).then(job => { if (this.#job?.id === job.id) { this.#job = job; this.#renderJob(job); } }).catch(() => {});
    }
  }

  close(restoreFocus = true) {
    this.#stream?.close();
    this.#stream = null;
    const opener = this.#opener;
    this.#job = null;
    this.#opener = null;
    $('job-detail').hidden = true;
    for (const row of document.querySelectorAll('tr.selected')) row.classList.remove('selected');
    if (restoreFocus && opener?.isConnected) opener.focus();
  }

  #replay(eventsUrl, token) {
    const url = new URL(eventsUrl, location.href);
    url.searchParams.set('access_token', token);
    url.searchParams.set('lastEventId', '0');
    const source = new EventSource(url);
    this.#stream = source;
    for (const type of jobEventTypes) {
      source.addEventListener(type, message => {
        const data = JSON.parse(message.data);
        this.#addEvent(type, data);
        // The stream ends after the terminal event; EventSource would only reconnect to hear it again.
        if (terminal.has(data.status) && type !== 'job.progress') source.close();
      });
    }
  }

  #addEvent(type, data) {
    if (this.#shown.has(data.sequence)) return;
    this.#shown.add(data.sequence);
    const percent = data.progress?.percent;
    const text = type === 'job.progress'
      ? `progress ${percent}%${data.progress?.message ? ` · ${data.progress.message}` : ''}`
      : `${type.replace('job.', '')} · attempt ${data.attempt}`;
    $('detail-timeline').append(timelineItem(data.status, data.occurredAt, text, terminal.has(data.status) || data.status === 'retrying' ? data.error : null));
  }

  #renderJob(job) {
    const fields = [
      ['Id', el('span', { class: 'mono', text: job.id })],
      ['Type', el('span', { class: 'mono', text: job.type })],
      ['State', badge(job.status)],
      ['Attempt', `${job.attempt} of ${job.maxAttempts}`],
      ['Priority', job.priority],
      ['Created', formatDateTime(job.createdAt)],
      ['Started', formatDateTime(job.startedAt)],
      ['Finished', formatDateTime(job.finishedAt)],
    ];
    $('detail-fields').replaceChildren(...fields.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', {}, value)]));
    const percent = job.progress?.percent ?? 0;
    $('detail-progress').value = percent;
    $('detail-progress').setAttribute('aria-valuetext', `${percent}%`);
    $('detail-progress-text').textContent = `${percent}%${job.progress?.message ? ` · ${job.progress.message}` : ''}`;

    const outcome = [];
    if (job.status === 'succeeded' && job.result !== undefined && job.result !== null) {
      outcome.push(el('h3', { text: 'Result' }), el('pre', { text: json(job.result) }));
    }
    if (job.error) {
      outcome.push(el('div', { class: 'outcome-error' }, el('h3', { text: job.status === 'failed' ? 'Error' : 'Last error' }), el('pre', { text: json(job.error) })));
    }
    $('detail-outcome').replaceChildren(...outcome);
    $('detail-cancel').hidden = !unfinished.has(job.status);
    $('detail-retry').hidden = job.status !== 'failed';
  }
}

function timelineItem(status, at, text, error) {
  return el('li', { dataset: { status } },
    el('time', { datetime: at, text: formatTime(at) }),
    text,
    error ? el('span', { class: 'muted', text: ` — ${[error.type, error.message].filter(Boolean).join(': ')}` }) : null);
}
