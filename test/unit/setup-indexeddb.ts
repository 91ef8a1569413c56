/** Node has no IndexedDB (where the client secret lives): an in-memory one, emptied before each test. */
import 'fake-indexeddb/auto';
import { beforeEach } from 'vitest';
import { saveSecret } from '@/utils/shared/logic/secret-store';

beforeEach(() => saveSecret(''));
