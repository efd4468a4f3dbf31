import { destroyAction, runAction } from '@trinity/core/actions';

void runAction('destroy-sandbox', destroyAction);
