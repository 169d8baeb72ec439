// shacl-engine (Node) over one data file, for benchmarks/national.py: the peer measured beside
// educluster validate. Usage:
//   node --max-old-space-size=16000 benchmarks/peer_shacl_engine.mjs MODULES SHAPES.nt DATA.nt
// MODULES is the node_modules folder of tests/shacl_engine (npm ci --prefix tests/shacl_engine).
// SHAPES.nt is shapes + background, DATA.nt is data + background (as tests/shacl_engine/run.mjs
// gives them). SHACL-SPARQL constraints are not run (shacl-engine's default validations).
// Prints one JSON line: {"results": N, "conforms": bool}.
import { createReadStream } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { createRequire } from 'node:module'
import path from 'node:path'

const [modules, shapesFile, dataFile] = process.argv.slice(2)
const load = name => import(pathToFileURL(path.join(modules, name)).href)
const require = createRequire(path.join(path.resolve(modules), 'x.js'))
const { Store, DataFactory, StreamParser } = require('n3')
const { Validator } = await load('shacl-engine/index.js')

function read (file) {
  const store = new Store()
  return new Promise((resolve, reject) => {
    const parser = new StreamParser({ format: 'N-Triples' })
    createReadStream(file).pipe(parser)
    parser.on('data', q => store.addQuad(q))
    parser.on('error', reject)
    parser.on('end', () => resolve(store))
  })
}

const shapes = await read(shapesFile)
const data = await read(dataFile)
const validator = new Validator(shapes, { factory: DataFactory })
const report = await validator.validate({ dataset: data })
process.stdout.write(JSON.stringify({ results: report.results.length, conforms: report.conforms }) + '\n')
