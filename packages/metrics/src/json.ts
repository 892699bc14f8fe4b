// JSON parsing that also accepts the bare `NaN` token Python's json module writes for missing
// values (read as null). Valid JSON takes the fast path; only a failed parse is rescanned.

/**
 * Parses JSON text. If it is not valid JSON only because of bare `NaN` tokens (as written by
 * Python's `json.dumps`), those are read as `null`. `Infinity` stays an error. Throws a
 * `SyntaxError` from `JSON.parse` otherwise.
 */
export function parseJsonAllowingNaN(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!text.includes('NaN')) throw error;
    const rewritten = replaceBareNaN(text);
    if (rewritten === text) throw error;
    try {
      return JSON.parse(rewritten);
    } catch {
      throw error;
    }
  }
}

/** Replaces `NaN` tokens outside string literals by `null`. */
function replaceBareNaN(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (
      c === 'N' &&
      text.startsWith('NaN', i) &&
      !isWordChar(text[i - 1]) &&
      !isWordChar(text[i + 3])
    ) {
      out += `${text.slice(copiedUpTo, i)}null`;
      copiedUpTo = i + 3;
      i += 2;
    }
  }
  return out + text.slice(copiedUpTo);
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\w.+-]/.test(c);
}
