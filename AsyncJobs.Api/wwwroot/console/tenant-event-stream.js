// The tenant's live events over Server-Sent Events. EventSource cannot send headers and the API key must never be
// in a URL, so each connection uses a fresh single-use stream ticket (POST /stream-tickets). A used ticket cannot
// reopen the stream, so on any error the page closes the EventSource itself, gets a new ticket and resumes with
// ?lastEventId= (a new EventSource cannot set the Last-Event-ID header): no event is lost or repeated.

export const jobEventTypes = ['job.queued', 'job.running', 'job.progress', 'job.retrying', 'job.succeeded', 'job.failed', 'job.cancelled'];

export class TenantEventStream {
  #api;
  #onEvent;
  #onStatus;
  #source = null;
  #lastEventId = null;
  #retryDelay = 1000;
  #timer = null;
  #closed = false;

  constructor(api, { onEvent, onStatus }) {
    this.#api = api;
    this.#onEvent = onEvent;
    this.#onStatus = onStatus;
  }

  async open() {
    if (this.#closed) return;
    this.#onStatus(this.#lastEventId === null ? 'connecting' : 'reconnecting');
    let ticket;
    try {
      ticket = await this.#api.post('/stream-tickets');
    } catch (error) {
      if (error.status === 401 || error.status === 403) {
        this.#onStatus('unauthorized');
        return;
      }
      this.#scheduleReconnect();
      return;
    }
    if (this.#closed) return;

    const url = new URL(ticket.eventsUrl, location.href);
    if (this.#lastEventId !== null) url.searchParams.set('lastEventId', this.#lastEventId);
    const source = new EventSource(url);
    this.#source = source;
    source.onopen = () => {
      this.#retryDelay = 1000;
      this.#onStatus('live');
    };
    source.onerror = () => {
      source.close();
      if (this.#source === source) this.#source = null;
      this.#scheduleReconnect();
    };
    for (const type of jobEventTypes) {
      source.addEventListener(type, message => {
        this.#lastEventId = message.lastEventId;
        this.#onEvent(type, JSON.parse(message.data));
      });
    }
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
  }

  #scheduleReconnect() {
    if (this.#closed) return;
    this.#onStatus('reconnecting');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.open(), this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, 15000);
  }
}
