#!/usr/bin/env node
// npm links workspace bins from inside the package and drops `../` from bin paths, so the bin is
// this file, which runs the committed bundle (build it with `npm run build`).
import '../../../dist/tri/index.js';
