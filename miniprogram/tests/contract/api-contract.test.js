// The mini-program held to the server's API: every call it makes (scripts/api-calls.js lists them)
// must exist in the OpenAPI document built from the app (scripts/openapi.py), with every required
// query parameter, no unknown one, a body where one is required, and the same login requirement.
const fs = require('fs')
const os = require('os')
const path = require('path')
const { collect } = require('../../scripts/api-calls')
const { ROOT, openapi, needsServer: haveServer } = require('./openapi-doc')

/** What is wrong with one call against the document (empty when it is right). */
function checkCall(call, doc) {
  const where = `${call.file}:${call.line} ${call.method} ${call.path}`
  const operation = (doc.paths[call.path] || {})[call.method.toLowerCase()]
  if (!operation) return [`${where}: the server has no such endpoint`]
  const query = Object.fromEntries((operation.parameters || []).filter(p => p.in === 'query').map(p => [p.name, p]))
  // api.js adds coord=gcj02 to every map call; an endpoint without coordinates ignores it.
  const sent = new Set(call.query.concat(call.added_query))
  const problems = []
  Object.keys(query).sort().forEach(name => {
    if (query[name].required && !sent.has(name)) problems.push(`${where}: omits the required query parameter ${name}`)
  })
  call.query.filter(name => !(name in query)).forEach(name => problems.push(`${where}: sends ${name}, which the server does not take`))
  if (operation.requestBody && operation.requestBody.required && !call.body) problems.push(`${where}: sends no body, which the server requires`)
  bodyFields(operation, doc).forEach(known => {
    (call.body_keys || []).filter(key => !known.has(key)).forEach(key => problems.push(`${where}: sends the field ${key}, which the server does not take`))
  })
  const secured = Boolean(operation.security && operation.security.length)
  if (secured !== call.auth) problems.push(`${where}: the registry says auth=${call.auth}, the server says ${secured}`)
  return problems
}

/** The JSON body's field names ([] when the body is not a JSON object with known properties). */
function bodyFields(operation, doc) {
  const content = operation.requestBody && operation.requestBody.content && operation.requestBody.content['application/json']
  let schema = content && content.schema
  if (schema && schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()]
  return schema && schema.properties ? [new Set(Object.keys(schema.properties))] : []
}

function checkAll(collected, doc) {
  return collected.problems.map(p => `${p.file}:${p.line}: ${p.message}`)
    .concat(...collected.calls.map(call => checkCall(call, doc)))
}

// A copy of the mini-program's utils with one extra page, to show the contract fails on a bad call.
function withBadPage(source, registryExtra = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bianmin-contract-'))
  fs.cpSync(path.join(ROOT, 'utils'), path.join(dir, 'utils'), { recursive: true })
  fs.copyFileSync(path.join(ROOT, 'config.js'), path.join(dir, 'config.js'))
  if (registryExtra) {
    const file = path.join(dir, 'utils', 'endpoints.js')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('module.exports = Object.freeze({', `module.exports = Object.freeze({\n${registryExtra}`))
  }
  fs.mkdirSync(path.join(dir, 'pages', 'bad'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'pages', 'bad', 'bad.js'),
    `const api = require('../../utils/api')\nconst E = require('../../utils/endpoints')\n${source}`)
  return dir
}

const HEAD = 3 // the bad page's first line after the two requires

let doc = null
let collected = null

beforeAll(() => {
  doc = openapi()
  collected = collect(ROOT)
})

function needsServer() {
  return haveServer(doc)
}

test('every call the mini-program makes exists on the server, with its required parameters', () => {
  if (!needsServer()) return
  expect(checkAll(collected, doc)).toEqual([])
  const seen = new Set(collected.calls.map(c => `${c.method} ${c.path}`))
  ;['POST /api/v1/bookings', 'POST /api/v1/push/grants', 'GET /api/v1/map/pois', 'POST /api/v1/auth/wechat',
    'DELETE /api/v1/me', 'GET /api/v1/feed', 'GET /api/v1/subscriptions/options', 'GET /api/v1/questions/suggest',
    'POST /api/v1/questions/answers/{entry_id}/feedback', 'POST /api/v1/questions/letters', 'POST /api/v1/questions/photos',
    'GET /api/v1/questions/me/letters/{letter_id}', 'POST /api/v1/questions/me/letters/{letter_id}/rating',
    'GET /api/v1/questions/public/letters'].forEach(key => expect(seen).toContain(key))
  // The letter form's literal body is held field by field to LetterCreate.
  const letter = collected.calls.find(c => c.name === 'writeLetter')
  expect(letter.body_keys.sort()).toEqual(['ask_id', 'body', 'campaign_id', 'category', 'column', 'phone', 'photos', 'place', 'publish_consent', 'title'])
})

test('every map call asks for GCJ-02, which each map endpoint with coordinates accepts', () => {
  if (!needsServer()) return
  const mapCalls = collected.calls.filter(c => c.path.startsWith('/api/v1/map/'))
  expect(mapCalls.length).toBeGreaterThanOrEqual(5)
  const withoutCoordinates = new Set()
  mapCalls.forEach(call => {
    expect(call.added_query).toContain('coord')
    const coord = doc.paths[call.path][call.method.toLowerCase()].parameters.find(p => p.name === 'coord')
    if (coord) expect(coord.schema.enum).toContain('gcj02')
    else withoutCoordinates.add(call.path)
  })
  // Only the category tree has no coordinates; every other map answer comes in the asked system.
  expect([...withoutCoordinates]).toEqual(['/api/v1/map/categories'])
})

test('a page calling an endpoint the server lacks fails the contract', () => {
  if (!needsServer()) return
  const dir = withBadPage("api.request(E.weather, { query: { city: 'sz' } })\n", "  weather: ep('GET', '/api/v1/weather'),")
  expect(checkAll(collect(dir), doc)).toEqual([`pages/bad/bad.js:${HEAD} GET /api/v1/weather: the server has no such endpoint`])
})

test('a page omitting a required query parameter, or sending an unknown one, fails the contract', () => {
  if (!needsServer()) return
  const dir = withBadPage([
    "api.request(E.hallAvailability, { path: { hall_id: 1 }, query: { from: '2026-12-01' } })",
    "api.request(E.mapClusters, { query: { bbox: '1,2,3,4', zom: 12 } })",
    "api.request(E.book, { header: { 'Idempotency-Key': 'k' } })",
  ].join('\n'))
  const problems = checkAll(collect(dir), doc).filter(p => p.startsWith('pages/bad/'))
  expect(problems).toEqual([
    `pages/bad/bad.js:${HEAD} GET /api/v1/halls/{hall_id}/availability: omits the required query parameter service_id`,
    `pages/bad/bad.js:${HEAD + 1} GET /api/v1/map/clusters: omits the required query parameter zoom`,
    `pages/bad/bad.js:${HEAD + 1} GET /api/v1/map/clusters: sends zom, which the server does not take`,
    `pages/bad/bad.js:${HEAD + 2} POST /api/v1/bookings: sends no body, which the server requires`,
  ])
})

test('a page sending a body field the server does not take fails the contract', () => {
  if (!needsServer()) return
  const dir = withBadPage("api.request(E.rateLetter, { path: { letter_id: 1 }, data: { rating: 'satisfied', stars: 5 } })\n")
  expect(checkAll(collect(dir), doc).filter(p => p.startsWith('pages/bad/'))).toEqual([
    `pages/bad/bad.js:${HEAD} POST /api/v1/questions/me/letters/{letter_id}/rating: sends the field stars, which the server does not take`])
})

test('a call that would hide from the list is itself a failure', () => {
  const dir = withBadPage([
    'const which = E.halls',
    'api.request(which)',
    "wx.request({ url: 'https://example.invalid/api/v1/secret' })",
    'api.request(E.hall, { path: { id: 1 }, query: Object.assign({}, { q: 1 }) })',
    'api.request(E.nowhere)',
  ].join('\n'))
  const messages = collect(dir).problems.filter(p => p.file === 'pages/bad/bad.js').map(p => `${p.line}: ${p.message}`)
  expect(messages).toEqual(expect.arrayContaining([
    `${HEAD}: E.halls used other than as a call's first argument`,
    `${HEAD + 2}: wx.request outside utils/api.js: call the server through utils/api.js`,
    `${HEAD + 2}: an API path written outside utils/endpoints.js: "https://example.invalid/api/v1/secret"`,
    `${HEAD + 3}: query must be an object literal with plain keys`,
    `${HEAD + 3}: hall: path parameters {id} do not fill /api/v1/halls/{hall_id}`,
    `${HEAD + 4}: unknown endpoint E.nowhere`,
  ]))
})

test('the real sources hide nothing, and every registered endpoint is called somewhere', () => {
  expect(collected.problems).toEqual([])
  expect(new Set(collected.calls.map(c => c.name))).toEqual(new Set(Object.keys(collected.registry)))
})
