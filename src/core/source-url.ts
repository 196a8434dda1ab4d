/**
 * Stream addresses: which kind of source a URL names, the URL ffmpeg is given (credentials put
 * in), and the URL everyone else sees (credentials taken out). Credentials live in Node-RED's
 * credential store and only ever meet the URL on ffmpeg's command line.
 */

export type StreamProtocol = 'rtsp' | 'http';

const PROTOCOLS: Record<string, StreamProtocol> = {
  'rtsp:': 'rtsp',
  'rtsps:': 'rtsp',
  'http:': 'http',
  'https:': 'http',
};

/** Query parameters some cameras take credentials in; their values are hidden when shown. */
const SECRET_QUERY_KEY = /pass|pwd|secret|token|auth|key|sig/i;
const HIDDEN = '***';

export interface StreamAddress {
  protocol: StreamProtocol;
  /** The URL as configured, without credentials. */
  url: URL;
}

/**
 * Parses and checks a stream URL from config. A URL with a user or password in it is refused:
 * the flow file would hold the secret in clear text.
 */
export function parseStreamUrl(field: string, value: string): StreamAddress {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TypeError(
      `${field} must be an rtsp://, rtsps://, http:// or https:// URL, got ${JSON.stringify(value)}`,
    );
  }
  const protocol = PROTOCOLS[url.protocol];
  if (protocol === undefined) {
    throw new RangeError(
      `${field} must use rtsp, rtsps, http or https, got ${JSON.stringify(url.protocol.slice(0, -1))}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError(
      `${field} must not contain a user or password: put them in the node's User and Password ` +
        `fields, which Node-RED keeps out of the flow file`,
    );
  }
  return { protocol, url };
}

/** The URL for ffmpeg: `user` and `password` percent-encoded into its authority. */
export function withCredentials(url: URL, user: string, password: string): string {
  if (user === '' && password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = encodeURIComponent(user);
  copy.password = encodeURIComponent(password);
  return copy.href;
}

/** The URL as shown in messages, statuses and logs: no user, no password, no secret query values. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  for (const key of [...copy.searchParams.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) copy.searchParams.set(key, HIDDEN);
  }
  return copy.href.replace(/%2A%2A%2A/g, HIDDEN);
}

/**
 * Removes every trace of the secrets from a line of text (ffmpeg repeats its input URL in
 * errors): `//user:password@` authorities, and the password itself, raw or percent-encoded.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(/\/\/[^/@\s]*@/g, '//');
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(HIDDEN);
    }
  }
  return out;
}
