// Validate every case with shacl-engine (an independent SHACL engine with SHACL-SPARQL support).
// Input on stdin, JSON: {"shapes": "<N-Triples>", "background": "<N-Triples>",
//                        "cases": [{"name": "...", "data": "<N-Triples>"}]}
// The shapes graph is shapes + background (shacl-engine looks up rdfs:subClassOf for
// sh:targetClass in the shapes graph), the data graph is data + background.
// Output on stdout, JSON: [{"name", "conforms", "results": [{focus, path, component, severity}]}]
import { Parser, Store, DataFactory } from 'n3'
import { Validator } from 'shacl-engine'
import * as ns from 'shacl-engine/lib/namespaces.js'
import parsePath from 'shacl-engine/lib/parsePath.js'
import { bindingsToObject, stringifyPath } from 'shacl-engine/lib/sparql.js'
import { QueryEngine } from '@comunica/query-sparql-rdfjs-lite'
import { BindingsFactory } from '@comunica/utils-bindings-factory'
import { Readable } from 'readable-stream'

// shacl-engine's own SHACL-SPARQL validation (shacl-engine/lib/validations/sparql.js), with one
// change: one Comunica engine for all queries instead of a new one per query (650 ms each).
const engine = new QueryEngine()

class DatasetSource {
  constructor (dataset) { this.dataset = dataset }
  match (s, p, o, g) { return Readable.from(this.dataset.match(s, p, o, g)) }
}

function stringifyPrefixes (ptr, prefixes = []) {
  for (const imports of ptr.out([ns.owl.imports])) stringifyPrefixes(imports, prefixes)
  for (const declare of ptr.out([ns.sh.declare])) {
    prefixes.push(`PREFIX ${declare.out([ns.sh.prefix]).value}: <${declare.out([ns.sh.namespace]).value}>`)
  }
  return prefixes
}

function compileSparql (shape) {
  const select = shape.sparql.out([ns.sh.select]).value
  const prefixes = stringifyPrefixes(shape.sparql.out([ns.sh.prefixes]))
  const sparqlPath = stringifyPath(shape.path)
  const message = shape.sparql.out([ns.sh.message]).terms
  const query = [...prefixes, select].filter(Boolean).join('\n').split('$PATH').join(sparqlPath)
  const source = shape.sparql.terms
  const hasSubquery = /\{\s*SELECT\b/i.test(select)
  return {
    generic: async context => {
      const factory = context.factory
      const focus = context.focusNode.term
      const options = { sources: [new DatasetSource(context.focusNode.dataset)] }
      let text = query
      let keep = () => true
      if (hasSubquery) {
        // A subquery must project $this (SHACL 5.3.1), so the query can run without the
        // pre-binding and keep the rows of this focus node: the same solutions. (Text in place
        // of $this would give GROUP BY <iri>, not SPARQL; Comunica's initialBindings refuse a
        // variable of GROUP BY.)
        keep = row => row.has('this') && row.get('this').equals(focus)
      } else if (focus.termType === 'NamedNode') {
        // pre-binding of $this as the SHACL spec defines it: the focus node in place of $this
        // (Comunica applies initialBindings only after evaluating the whole query: seconds)
        const iri = `<${focus.value}>`
        text = query.replace(/SELECT (DISTINCT )?\$this\b/, `SELECT $1(${iri} AS ?this)`).replace(/\$this\b/g, iri)
      } else {
        options.initialBindings = new BindingsFactory(factory).bindings([[factory.variable('this'), focus]])
      }
      const stream = await engine.queryBindings(text, options)
      const rows = (await stream.toArray()).filter(keep)
      for (const row of rows) {
        const args = bindingsToObject(row)
        const path = row.has('path') && parsePath(context.focusNode.node([row.get('path')]))
        const value = context.focusNode.node([row.get('value') || context.focusNode.term])
        context.violation(ns.sh.SPARQLConstraintComponent, { args, message, path, source, value })
      }
      if (rows.length === 0) context.debug(ns.sh.SPARQLConstraintComponent, { source })
    }
  }
}

const validations = new Map([[ns.sh.sparql, compileSparql]])

const SH = 'http://www.w3.org/ns/shacl#'

function parse (text, store = new Store()) {
  store.addQuads(new Parser({ format: 'N-Triples' }).parse(text))
  return store
}

function pathText (store, term) {
  if (!term) return null
  if (term.termType === 'NamedNode') return term.value
  const inv = store.getObjects(term, DataFactory.namedNode(SH + 'inversePath'), null)
  if (inv.length) return '^' + pathText(store, inv[0])
  const zom = store.getObjects(term, DataFactory.namedNode(SH + 'zeroOrMorePath'), null)
  if (zom.length) return pathText(store, zom[0]) + '*'
  return '_:' + term.value
}

async function main () {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const shapes = parse(input.background, parse(input.shapes))
  const validator = new Validator(shapes, { factory: DataFactory, validations })
  const out = []
  for (const c of input.cases) {
    const data = parse(input.background, parse(c.data))
    const report = await validator.validate({ dataset: data })
    const results = report.results.map(r => ({
      focus: r.focusNode ? r.focusNode.term.value : null,
      path: r.path ? r.path.map(p => (p.start === 'object' ? '^' : '') + p.predicates.map(x => x.value).join('|') + ({ zeroOrMore: '*', oneOrMore: '+', zeroOrOne: '?' }[p.quantifier] || '')).join('/') : null,
      component: r.constraintComponent ? r.constraintComponent.value : null,
      severity: r.severity ? r.severity.value : null
    }))
    out.push({ name: c.name, conforms: report.conforms, results })
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch(err => { console.error(err && err.stack ? err.stack : String(err)); process.exit(1) })
