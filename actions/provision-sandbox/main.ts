import { provisionAction, runAction } from '@trinity/core/actions';

void runAction('provision-sandbox', provisionAction);
