// The dashboard's client of the management API, mapped again by the dashboard under {prefix}/api: the same routes, bodies and
// error codes as the API at the application's root. JSON in and out; every request that can change something carries the
// antiforgery token; an error body {"code", "message", "details"} becomes an ApiError whose message a person can read.

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ApiError extends Error {
  constructor(status, code, message, violations) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.violations = violations;
  }
}

/** The violations of an error body's BadRequest detail, as [{field, description}]. */
function violationsOf(body) {
  return (body?.details ?? []).flatMap((detail) => detail?.fieldViolations ?? []);
}

/** One line for people: the message, then each violation as "field: description". */
function readable(status, body, fallback) {
  const message = typeof body?.message === 'string' && body.message ? body.message : fallback || `The request failed with HTTP ${status}.`;
  const violations = violationsOf(body);
  return violations.length === 0
    ? message
    : `${message} ${violations.map((v) => (v.field ? `${v.field}: ${v.description}` : v.description)).join(' ')}`;
}

/**
 * Creates the client. `base` is where the API is mapped relative to the page (default 'api'); `antiforgery` is
 * {headerName, token} from GET api/me.
 */
export function createApi({ base = 'api', antiforgery = null } = {}) {
  let token = antiforgery;

  async function send(method, path, body = undefined, query = undefined) {
    const url = new URL(base + path, document.baseURI);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') {
        url.searchParams.set(name, String(value));
      }
    }
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (!safeMethods.has(method) && token?.headerName) {
      headers[token.headerName] = token.token;
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiError(0, 14, `The dashboard could not reach the server (${error.message}); check that it is running and reload.`, []);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!response.ok) {
      throw new ApiError(response.status, json?.code ?? 2, readable(response.status, json, text.slice(0, 200)), violationsOf(json));
    }
    return json;
  }

  return {
    send,
    get: (path, query) => send('GET', path, undefined, query),
    post: (path, body = {}) => send('POST', path, body),
    put: (path, body = {}) => send('PUT', path, body),
    patch: (path, body = {}) => send('PATCH', path, body),
    delete: (path) => send('DELETE', path),
    /** Replaces the antiforgery token, such as after signing in again. */
    setAntiforgery(next) {
      token = next;
    },
  };
}
