import type { RequestHandler } from 'express';
import getRawBody from 'raw-body';
import { HttpError } from './httpError.js';
import { jsonDepthExceeds } from './jsonDepth.js';

export interface JsonBodyOptions {
  /** Largest body, as `256kb`. */
  limit: string;
  /** Deepest nesting of arrays and objects (documented; the deepest valid request, a catalogue, needs 7). */
  maxDepth: number;
}

/** A body is coming when it is chunked, or announced with a length above 0 (an empty POST is no body). */
const hasBody = (req: { headers: Record<string, string | string[] | undefined> }) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body. Used instead of express.json because body-parser, on a body over the limit, reads
 * the rest of it before answering: a client trickling a large chunked body held its request for as long as it
 * kept sending. Here reading stops at the limit, the 413 goes out at once and the connection is closed.
 *
 * Any request that has a body (Content-Length or Transfer-Encoding, whatever the framing) must be
 * application/json in UTF-8, or it is refused with 415: a body that was not parsed never reaches a handler.
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req)) return next();
    if (!req.is('application/json'))
      return next(new HttpError(415, 'unsupported-media-type', 'Send the request body as application/json.'));
    const charset = /;\s*charset="?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return next(new HttpError(415, 'unsupported-media-type', 'Send the request body in UTF-8.'));
    const declared = req.get('content-length');
    getRawBody(req, { limit: options.limit, ...(declared !== undefined ? { length: declared } : {}) }).then(
      (buffer) => {
        let text: string;
        try {
          text = utf8.decode(buffer);
        } catch {
          return next(new HttpError(400, 'malformed-json', 'The request body is not valid UTF-8.'));
        }
        if (jsonDepthExceeds(text, options.maxDepth)) {
          return next(
            new HttpError(400, 'validation-failed', `The request body nests deeper than ${options.maxDepth} levels.`, [
              { path: '', message: `must not nest arrays and objects deeper than ${options.maxDepth} levels` },
            ]),
          );
        }
        try {
          req.body = JSON.parse(text) as unknown;
        } catch {
          return next(new HttpError(400, 'malformed-json', 'The request body is not valid JSON.'));
        }
        next();
      },
      (e: { type?: string; status?: number }) => {
        if (e.type === 'entity.too.large') {
          // The rest of the body is not read: the connection closes after this answer.
          res.set('Connection', 'close');
          return next(new HttpError(413, 'body-too-large', `The request body is larger than ${options.limit}.`));
        }
        if (e.type === 'request.size.invalid')
          return next(
            new HttpError(400, 'bad-request', 'The request body is shorter or longer than its Content-Length.'),
          );
        if (e.type === 'request.aborted') return; // the client went away; there is nobody to answer
        next(e);
      },
    );
  };
}
