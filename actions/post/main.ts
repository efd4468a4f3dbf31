// The `post:` entry of provision-, deploy- and destroy-sandbox (their action.yml `runs.post`), built
// to dist/post/index.js like the actions' main entries. Not an action itself: it has no action.yml.
import { runPost } from '@trinity/core/actions';

void runPost();
