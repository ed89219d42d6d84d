// Webhook endpoints, their deliveries with every attempt, and manual redelivery (routes of WebhooksApi).
import { badge, el, formatTime, json, shortId } from './dom.js';

const $ = id => document.getElementById(id);

export class WebhooksView {
  #api;
  #announce;
  #endpointId = null;
  #opener = null;

  constructor({ api, announce }) {
    this.#api = api;
    this.#announce = announce;
    $('webhooks-refresh').addEventListener('click', () => this.load());
    $('endpoints-body').addEventListener('click', event => {
      const button = event.target.closest('button[data-endpoint]');
      if (button) this.#showDeliveries(button.dataset.endpoint || null, button.dataset.url ?? null);
    });
    $('deliveries-body').addEventListener('click', event => {
      const button = event.target.closest('button[data-action]');
      const row = button?.closest('tr[data-delivery-id]');
      if (!row) return;
      if (button.dataset.action === 'attempts') this.#showDelivery(row.dataset.deliveryId, button);
      if (button.dataset.action === 'redeliver') this.#redeliver(row.dataset.deliveryId);
    });
    $('delivery-close').addEventListener('click', () => {
      $('delivery-detail').hidden = true;
      if (this.#opener?.isConnected) this.#opener.focus();
    });
  }

  async load() {
    let endpoints;
    try {
      endpoints = await this.#api.get('/webhooks/endpoints');
    } catch (problem) {
      this.#announce(`Could not load webhook endpoints: ${problem.message}`);
      return;
    }
    const rows = endpoints.map(endpoint => el('tr', { dataset: { endpointId: endpoint.id } },
      el('td', { class: 'mono', text: endpoint.url }),
      el('td', { text: endpoint.eventTypes?.length ? endpoint.eventTypes.join(', ') : 'all' }),
      el('td', {}, endpoint.enabled ? badge('enabled') : badge('disabled'),
        endpoint.disabledReason ? el('span', { class: 'muted', text: ` ${endpoint.disabledReason}` }) : null),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', dataset: { endpoint: endpoint.id, url: endpoint.url }, 'aria-label': `Deliveries to ${endpoint.url}`, text: 'Deliveries' })))));
    if (endpoints.length) {
      rows.push(el('tr', {}, el('td', { colspan: '3', class: 'muted', text: 'Every endpoint, and jobs\' own callback URLs' }),
        el('td', {}, el('div', { class: 'actions' }, el('button', { type: 'button', dataset: { endpoint: '' }, text: 'All deliveries' })))));
    }
    $('endpoints-body').replaceChildren(...rows);
    $('endpoints-empty').hidden = endpoints.length > 0;
    await this.#showDeliveries(this.#endpointId, null);
  }

  async #showDeliveries(endpointId, url) {
    this.#endpointId = endpointId;
    if (url !== null || endpointId === null) $('deliveries-scope').textContent = endpointId ? `(to ${url})` : '(all)';
    const query = new URLSearchParams({ limit: '50' });
    if (endpointId) query.set('endpointId', endpointId);
    let page;
    try {
      page = await this.#api.get(`/webhooks/deliveries?${query}`);
    } catch (problem) {
      this.#announce(`Could not load deliveries: ${problem.message}`);
      return;
    }
    $('deliveries-body').replaceChildren(...page.items.map(delivery => deliveryRow(delivery)));
    $('deliveries-empty').hidden = page.items.length > 0;
  }

  async #showDelivery(id, opener) {
    this.#opener = opener;
    let detail;
    try {
      detail = await this.#api.get(`/webhooks/deliveries/${id}`);
    } catch (problem) {
      this.#announce(`Could not load delivery: ${problem.message}`);
      return;
    }
    const delivery = detail.delivery;
    $('delivery-detail-title').textContent = `Delivery ${delivery.messageId} · ${delivery.eventType}`;
    const attempts = detail.attempts.map(attempt => el('li', { dataset: { status: attempt.statusCode >= 200 && attempt.statusCode < 300 ? 'succeeded' : 'failed' } },
      el('time', { datetime: attempt.at, text: formatTime(attempt.at) }),
      `attempt ${attempt.attempt} · ${attempt.statusCode ?? 'no answer'} · ${attempt.latencyMs} ms`,
      attempt.error ? el('span', { class: 'muted', text: ` — ${attempt.error}` }) : null,
      attempt.responseExcerpt ? el('pre', { text: attempt.responseExcerpt }) : null));
    if (!attempts.length) attempts.push(el('li', { text: 'No attempt yet.' }));
    attempts.push(el('li', {}, el('details', {}, el('summary', { text: 'Body' }), el('pre', { text: json(detail.payload) }))));
    $('delivery-attempts').replaceChildren(...attempts);
    $('delivery-detail').hidden = false;
    $('delivery-detail').focus();
  }

  async #redeliver(id) {
    try {
      await this.#api.post(`/webhooks/deliveries/${id}/redeliver`);
      this.#announce(`Delivery ${shortId(id)} is being sent again.`);
    } catch (problem) {
      this.#announce(`Delivery ${shortId(id)}: ${problem.title ?? problem.message}`);
    }
    await this.#showDeliveries(this.#endpointId, null);
  }
}

function deliveryRow(delivery) {
  const label = shortId(delivery.id);
  const state = delivery.state === 'succeeded' ? 'delivered' : delivery.state;
  return el('tr', { dataset: { deliveryId: delivery.id } },
    el('td', { class: 'mono', text: delivery.eventType }),
    el('td', { class: 'mono', text: shortId(delivery.jobId) }),
    el('td', { class: 'mono', text: delivery.url }),
    el('td', {}, badge(state)),
    el('td', { text: String(delivery.attemptCount) }),
    el('td', { text: delivery.lastStatusCode ? String(delivery.lastStatusCode) : '—' }),
    el('td', {}, el('div', { class: 'actions' },
      el('button', { type: 'button', dataset: { action: 'attempts' }, 'aria-label': `Attempts of delivery ${label}`, text: 'Attempts' }),
      delivery.state === 'pending' ? null
        : el('button', { type: 'button', dataset: { action: 'redeliver' }, 'aria-label': `Redeliver delivery ${label}`, text: 'Redeliver' }))));
}
