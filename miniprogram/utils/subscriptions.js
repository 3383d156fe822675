// Laying out GET /api/v1/subscriptions/options for the subscription editor.
// 区域 offers the resident's own community, street and district first (the map's "who serves me", GET
// /api/v1/map/locate); the editor's picker walks the options' divisions for any other place.

const RESIDENT_SECTIONS = [
  ['topics', '主题分类'],
  ['agencies', '发布机构'],
  ['doc_types', '文种'],
  ['disclosures', '五公开'],
  ['divisions', '区域'],
]
const ENTERPRISE_SECTIONS = [['industries', '行业'], ['sizes', '企业规模']]

/**
 * Editor sections {key, label, choices} from the options, the located divisions and values already chosen.
 * `names` maps division codes to names (a subscription's division_names).
 */
function editorSections(options, { divisions = [], chosen = null, names = {}, enterprise = false } = {}) {
  const located = divisions.map(d => ({ value: d.code, label: d.name }))
  const known = new Set(located.map(d => d.value))
  const listed = {}
  ;(options.divisions || []).forEach(d => { listed[d.value] = d.label })
  // A division chosen earlier somewhere else stays visible, by name when the map knows it, so it can be kept or removed.
  const earlier = ((chosen && chosen.divisions) || []).filter(code => !known.has(code))
    .map(code => ({ value: code, label: names[code] || listed[code] || code }))
  const sections = enterprise ? RESIDENT_SECTIONS.concat(ENTERPRISE_SECTIONS) : RESIDENT_SECTIONS
  // 区域 stays, even empty, while the options list divisions to pick from.
  const kept = s => s.choices.length || (s.key === 'divisions' && (options.divisions || []).length)
  return sections
    .map(([key, label]) => ({ key, label, choices: key === 'divisions' ? located.concat(earlier) : (options[key] || []) }))
    .filter(kept)
}

/** The Chinese name of a frequency. */
function frequencyLabel(options, value) {
  const found = (options.frequencies || []).find(f => f.value === value)
  return found ? found.label : value
}

module.exports = { editorSections, frequencyLabel }
