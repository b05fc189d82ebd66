// A worker thread of `connect-caller-id check`: checks its share of the files and posts the results back.
import { parentPort, workerData } from 'worker_threads';
import { checkFilesInProcess, CheckRequest } from './check-files';

const { files, request } = workerData as { files: string[]; request: CheckRequest };
parentPort!.postMessage(checkFilesInProcess(files, request));
