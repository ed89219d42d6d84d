// Calls to the AsyncJobs API with the API key as a header: the key never appears in a URL.

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem?.type ?? null;
    this.title = problem?.title ?? null;
  }
}

export class ApiClient {
  #key;

  constructor(apiKey) {
    this.#key = apiKey;
  }

  get(path) { return this.#send('GET', path); }

  post(path, body, headers = {}) { return this.#send('POST', path, body, headers); }

  async #send(method, path, body, extraHeaders = {}) {
    const headers = { Authorization: `Bearer ${this.#key}`, Accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    const data = await readJson(response);
    if (!response.ok) throw new ApiProblem(response.status, data);
    return data;
  }
}

// A proxy's or a crashed server's answer may not be JSON; the status still tells what happened.
async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { title: `HTTP ${response.status}` };
  }
}
