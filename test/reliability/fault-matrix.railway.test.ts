// Project issue 10, part 2, Railway's half (GitHub's half runs in its own file, so in parallel).
import { describeFaultMatrix } from './fault-matrix.js';

describeFaultMatrix('railway');
