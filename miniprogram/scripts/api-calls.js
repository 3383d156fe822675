#!/usr/bin/env node
// Lists every API call the mini-program makes, for the contract test against the server's OpenAPI.
//
// A call is `anything(E.name, {path: {...}, query: {...}, data, header})` where E is the registry
// required from utils/endpoints.js. The query and path objects must be literals with plain keys, so
// the keys a page sends are known without running it. Anything that would hide a call from this list
// is reported as a problem: E.name used other than as a call's first argument, an unknown name,
// wx.request outside utils/api.js, an '/api/' string outside the registry.
//
// Usage: node scripts/api-calls.js [ROOT]   (prints JSON {calls, problems, registry})

const fs = require('fs')
const path = require('path')
const { parse } = require('@babel/parser')

const SKIP_DIRS = new Set(['node_modules', 'tests', 'scripts', '.git'])
const SKIP_FILES = new Set(['jest.config.js'])
const OPTION_KEYS = new Set(['path', 'query', 'data', 'header', 'file'])
const NETWORK_CALLS = new Set(['request', 'downloadFile', 'uploadFile', 'connectSocket'])
const REQUEST_MODULE = 'utils/api.js'
const REGISTRY_MODULE = 'utils/endpoints.js'
// Query parameters utils/api.js adds by itself (a test holds api.js to this).
const ADDED_QUERY = [{ prefix: '/api/v1/map/', keys: ['coord'] }]

function jsFiles(root, dir = root, out = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) jsFiles(root, full, out)
    } else if (entry.name.endsWith('.js') && !SKIP_FILES.has(path.relative(root, full))) {
      out.push(full)
    }
  })
  return out.sort()
}

function walk(node, visit, parent) {
  if (!node || typeof node.type !== 'string') return
  visit(node, parent)
  Object.keys(node).forEach(key => {
    if (key === 'loc' || key === 'start' || key === 'end') return
    const child = node[key]
    if (Array.isArray(child)) child.forEach(c => walk(c, visit, node))
    else if (child && typeof child.type === 'string') walk(child, visit, node)
  })
}

function keyName(prop) {
  if (prop.type !== 'ObjectProperty' || prop.computed) return null
  if (prop.key.type === 'Identifier') return prop.key.name
  if (prop.key.type === 'StringLiteral') return prop.key.value
  return null
}

function isRequireOfRegistry(node) {
  return node && node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' &&
    node.arguments.length === 1 && node.arguments[0].type === 'StringLiteral' &&
    /(^|\/)endpoints(\.js)?$/.test(node.arguments[0].value)
}

function staticKeys(objectNode, what, report) {
  if (!objectNode || objectNode.type !== 'ObjectExpression') {
    report(`${what} must be an object literal with plain keys`)
    return []
  }
  const keys = []
  objectNode.properties.forEach(prop => {
    const name = keyName(prop)
    if (name === null) report(`${what} has a computed or spread key`)
    else keys.push(name)
  })
  return keys
}

/** The keys of an object literal, or null when a spread or computed key hides some. */
function plainKeys(objectNode) {
  const keys = objectNode.properties.map(keyName)
  return keys.includes(null) ? null : keys
}

function readCall(call, name, registry, report) {
  const endpoint = registry[name]
  const options = call.arguments[1]
  const found = { query: [], pathParams: [], body: false, bodyKeys: null, header: [] }
  if (options) {
    staticKeys(options, 'call options', report).forEach(key => {
      if (!OPTION_KEYS.has(key)) report(`unknown call option "${key}"`)
    })
    if (options.type === 'ObjectExpression') {
      options.properties.forEach(prop => {
        const key = keyName(prop)
        if (key === 'query') found.query = staticKeys(prop.value, 'query', report)
        if (key === 'path') found.pathParams = staticKeys(prop.value, 'path', report)
        if (key === 'header' && prop.value.type === 'ObjectExpression') found.header = staticKeys(prop.value, 'header', report)
        if (key === 'data' || key === 'file') found.body = true
        // A literal body's keys are checked against the server's request schema; a variable's are not known.
        if (key === 'data' && prop.value.type === 'ObjectExpression') found.bodyKeys = plainKeys(prop.value)
      })
    }
  }
  const placeholders = (endpoint.path.match(/\{(\w+)\}/g) || []).map(p => p.slice(1, -1))
  const given = [...found.pathParams].sort()
  if (JSON.stringify(given) !== JSON.stringify([...placeholders].sort())) {
    report(`${name}: path parameters {${given.join(', ')}} do not fill ${endpoint.path}`)
  }
  const added = []
  ADDED_QUERY.filter(rule => endpoint.path.startsWith(rule.prefix)).forEach(rule => added.push(...rule.keys))
  return {
    name, method: endpoint.method, path: endpoint.path, auth: endpoint.auth,
    query: [...new Set(found.query)].sort(), added_query: added, path_params: given, body: found.body,
    body_keys: found.bodyKeys, header: found.header,
  }
}

function scanFile(file, root, registry, calls, problems) {
  const rel = path.relative(root, file).split(path.sep).join('/')
  const source = fs.readFileSync(file, 'utf8')
  const ast = parse(source, { sourceType: 'unambiguous', errorRecovery: false })
  const registryNames = new Set()
  walk(ast, node => {
    if (node.type === 'VariableDeclarator' && isRequireOfRegistry(node.init) && node.id.type === 'Identifier') registryNames.add(node.id.name)
  })
  const callArgs = new Set()
  walk(ast, (node, parent) => {
    const line = node.loc ? node.loc.start.line : 0
    const report = message => problems.push({ file: rel, line, message })
    if (node.type === 'CallExpression') {
      const first = node.arguments[0]
      if (first && first.type === 'MemberExpression' && !first.computed && first.object.type === 'Identifier' &&
          registryNames.has(first.object.name)) {
        callArgs.add(first)
        const name = first.property.name
        if (!registry[name]) report(`unknown endpoint E.${name}`)
        else calls.push(Object.assign(readCall(node, name, registry, report), { file: rel, line }))
      }
    }
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'wx' &&
        !node.computed && NETWORK_CALLS.has(node.property.name) && rel !== REQUEST_MODULE) {
      report(`wx.${node.property.name} outside ${REQUEST_MODULE}: call the server through utils/api.js`)
    }
    const text = node.type === 'StringLiteral' ? node.value : node.type === 'TemplateElement' ? node.value.raw : null
    // The request module may name the map prefix it adds coord=gcj02 to; no one else writes API paths.
    if (text !== null && text.includes('/api/') && rel !== REGISTRY_MODULE && rel !== REQUEST_MODULE) {
      report(`an API path written outside ${REGISTRY_MODULE}: "${text}"`)
    }
    if (node.type === 'Identifier' && registryNames.has(node.name) && parent && !isRegistryUse(node, parent)) {
      report(`the endpoint registry used other than as E.name in a call's first argument`)
    }
  })
  // Members of E that are not a call's first argument hide a call from this list.
  walk(ast, node => {
    if (node.type === 'MemberExpression' && node.object.type === 'Identifier' && registryNames.has(node.object.name) &&
        !callArgs.has(node)) {
      problems.push({ file: rel, line: node.loc.start.line, message: `E.${node.property.name || '?'} used other than as a call's first argument` })
    }
  })
}

// Where the registry's name may appear: its own declaration, `E.name`, or as an unrelated key.
function isRegistryUse(identifier, parent) {
  if (parent.type === 'VariableDeclarator' && parent.id === identifier) return true
  if (parent.type === 'MemberExpression') return parent.object === identifier || (parent.property === identifier && !parent.computed)
  if (parent.type === 'ObjectProperty' || parent.type === 'ObjectMethod') return parent.key === identifier && !parent.computed
  return false
}

function collect(root) {
  const registry = require(path.join(root, REGISTRY_MODULE))
  const calls = []
  const problems = []
  jsFiles(root).forEach(file => scanFile(file, root, registry, calls, problems))
  return { calls, problems, registry }
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..'))
  process.stdout.write(`${JSON.stringify(collect(root), null, 1)}\n`)
}

module.exports = { collect, ADDED_QUERY }
