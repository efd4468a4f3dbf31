import { journalAction, runAction } from '@trinity/core/actions';

void runAction('journal-step', journalAction);
