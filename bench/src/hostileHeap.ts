import { measureHostileHeap } from './hostile'

// A child of the hostile-frames benchmark (see `hostileFramesBenchmark`).
process.stdout.write(JSON.stringify(measureHostileHeap()))
