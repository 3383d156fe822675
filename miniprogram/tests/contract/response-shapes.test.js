// The other half of the contract: the canned answers the page tests run on (tests/fixtures/server.js) have the
// shape the server's OpenAPI document gives those endpoints. A field the server renamed or dropped fails here,
// instead of page tests passing on an answer the server no longer gives.
const S = require('../fixtures/server')
const OPTIONS = require('../fixtures/subscription-options')
const { openapi, needsServer } = require('./openapi-doc')

// Each fixture and the endpoint whose answer it stands for.
const FIXTURES = [
  ['LOGIN', 'post', '/api/v1/auth/wechat', S.LOGIN],
  ['CATEGORIES', 'get', '/api/v1/map/categories', S.CATEGORIES],
  ['NEARBY', 'get', '/api/v1/map/pois', S.NEARBY],
  ['VIEWPORT_POINTS', 'get', '/api/v1/map/pois', S.VIEWPORT_POINTS],
  ['CLUSTERS', 'get', '/api/v1/map/clusters', S.CLUSTERS],
  ['LOCATE', 'get', '/api/v1/map/locate', S.LOCATE],
  ['POI_HALL', 'get', '/api/v1/map/pois/{poi_id}', S.POI_HALL],
  ['HALL', 'get', '/api/v1/halls/{hall_id}', S.HALL],
  ['SERVICES', 'get', '/api/v1/halls/{hall_id}/services', S.SERVICES],
  ['AVAILABILITY', 'get', '/api/v1/halls/{hall_id}/availability', S.AVAILABILITY],
  ['TEMPLATES', 'get', '/api/v1/push/templates', S.TEMPLATES],
  ['booking()', 'get', '/api/v1/bookings/{booking_id}', S.booking()],
  ['DOCUMENT', 'get', '/api/v1/gazette/documents/{document_id}', S.DOCUMENT],
  ['SEARCH_PAGE', 'get', '/api/v1/gazette/documents', S.SEARCH_PAGE],
  ['subscription-options', 'get', '/api/v1/subscriptions/options', OPTIONS],
]

let doc = null
beforeAll(() => { doc = openapi() })

function resolve(schema) {
  while (schema && schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()]
  return schema
}

/** The alternatives a schema allows (anyOf/oneOf unfolded, allOf merged), each resolved. */
function variants(schema) {
  const s = resolve(schema)
  if (!s) return []
  const choices = s.anyOf || s.oneOf
  if (choices) return [].concat(...choices.map(variants))
  if (s.allOf) {
    const parts = s.allOf.map(resolve)
    // OpenAPI 3.0 writes an optional object as {allOf: [{$ref}], nullable: true}.
    return [Object.assign({}, ...parts, {
      nullable: Boolean(s.nullable || parts.some(p => p.nullable)),
      properties: Object.assign({}, ...parts.map(p => p.properties || {})),
      required: [].concat(...parts.map(p => p.required || [])),
    })]
  }
  return [s]
}

const SCALAR = { string: ['string'], boolean: ['boolean'] }

/** What differs between a value and one schema alternative (empty when it fits). */
function against(value, s, where) {
  if (value === null) return s.type === 'null' || s.nullable ? [] : [`${where}: null, which the server never sends`]
  if (Array.isArray(value)) {
    if (s.type && s.type !== 'array') return [`${where}: an array, the server sends ${s.type}`]
    return [].concat(...value.map((v, i) => mismatches(v, s.items, `${where}[${i}]`)))
  }
  if (typeof value === 'object') {
    if (s.type && s.type !== 'object') return [`${where}: an object, the server sends ${s.type}`]
    if (!s.properties) {
      const each = typeof s.additionalProperties === 'object' ? s.additionalProperties : null
      return each ? [].concat(...Object.keys(value).map(k => mismatches(value[k], each, `${where}.${k}`))) : []
    }
    const problems = []
    Object.keys(value).forEach(key => {
      if (!(key in s.properties)) problems.push(`${where}.${key}: the server never sends this field`)
      else problems.push(...mismatches(value[key], s.properties[key], `${where}.${key}`))
    })
    ;(s.required || []).filter(key => !(key in value))
      .forEach(key => problems.push(`${where}.${key}: the server always sends this field; the fixture lacks it`))
    return problems
  }
  const kinds = typeof value === 'number' ? (Number.isInteger(value) ? ['integer', 'number'] : ['number']) : SCALAR[typeof value] || []
  if (s.type && !kinds.includes(s.type)) return [`${where}: ${JSON.stringify(value)}, the server sends ${s.type}`]
  if (s.enum && !s.enum.includes(value)) return [`${where}: ${JSON.stringify(value)} is none of ${s.enum.join(', ')}`]
  return []
}

/** The differences from the closest alternative the schema allows (an unconstrained schema allows anything). */
function mismatches(value, schema, where) {
  let best = null
  for (const option of variants(schema)) {
    const problems = against(value, option, where)
    if (!problems.length) return []
    if (!best || problems.length < best.length) best = problems
  }
  return best || []
}

function answerSchema(method, path) {
  const operation = (doc.paths[path] || {})[method]
  if (!operation) return null
  const ok = operation.responses['200'] || operation.responses['201']
  const content = ok && ok.content && (ok.content['application/json'] || ok.content['application/geo+json'])
  return content ? content.schema : null
}

test.each(FIXTURES)('the %s fixture is shaped as %s %s answers', (name, method, path, fixture) => {
  if (!needsServer(doc)) return
  const schema = answerSchema(method, path)
  expect(schema).toBeTruthy()
  expect(mismatches(fixture, schema, name)).toEqual([])
})

test('a fixture with a field the server does not send, or without one it always sends, fails', () => {
  if (!needsServer(doc)) return
  const schema = answerSchema('get', '/api/v1/bookings/{booking_id}')
  const renamed = Object.assign(S.booking(), { deadline: S.booking().checkin_deadline })
  delete renamed.checkin_deadline
  expect(mismatches(renamed, schema, 'booking')).toEqual([
    'booking.deadline: the server never sends this field',
    'booking.checkin_deadline: the server always sends this field; the fixture lacks it',
  ])
  const wrongType = S.booking({ hall: { id: '1', name: '大厅', address: '' } })
  expect(mismatches(wrongType, schema, 'booking')).toEqual(['booking.hall.id: "1", the server sends integer'])
})
