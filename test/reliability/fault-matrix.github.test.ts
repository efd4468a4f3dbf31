// Project issue 10, part 2, GitHub's half (Railway's half runs in its own file, so in parallel).
import { describeFaultMatrix } from './fault-matrix.js';

describeFaultMatrix('github');
