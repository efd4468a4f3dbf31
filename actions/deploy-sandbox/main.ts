import { deployAction, runAction } from '@trinity/core/actions';

void runAction('deploy-sandbox', deployAction);
