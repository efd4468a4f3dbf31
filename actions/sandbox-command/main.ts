import { commandAction, runAction } from '@trinity/core/actions';

void runAction('sandbox-command', commandAction);
