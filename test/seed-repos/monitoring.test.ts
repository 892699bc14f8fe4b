// The monitoring seeded repository works on its own: a fresh copy passes npm ci && npm test (see
// test/support/seed-fresh-copy.ts).
import { describeFreshCopy } from '../support/seed-fresh-copy';

describeFreshCopy('monitoring');
