// Laying out GET /api/v1/subscriptions/options for the subscription editor.
// Divisions have no fixed list (there are thousands of communities): the resident's own community,
// street and district come from the map's "who serves me" (GET /api/v1/map/locate).

const RESIDENT_SECTIONS = [
  ['topics', '主题分类'],
  ['agencies', '发布机构'],
  ['doc_types', '文种'],
  ['disclosures', '五公开'],
  ['divisions', '区域（你所在的社区、街道、区）'],
]
const ENTERPRISE_SECTIONS = [['industries', '行业'], ['sizes', '企业规模']]

/**
 * Editor sections {key, label, choices} from the options, the located divisions and values already chosen.
 * `names` maps division codes to names (a subscription's division_names).
 */
function editorSections(options, { divisions = [], chosen = null, names = {}, enterprise = false } = {}) {
  const located = divisions.map(d => ({ value: d.code, label: d.name }))
  const known = new Set(located.map(d => d.value))
  // A division chosen earlier somewhere else stays visible, by name when the map knows it, so it can be kept or removed.
  const earlier = ((chosen && chosen.divisions) || []).filter(code => !known.has(code))
    .map(code => ({ value: code, label: names[code] || code }))
  const sections = enterprise ? RESIDENT_SECTIONS.concat(ENTERPRISE_SECTIONS) : RESIDENT_SECTIONS
  return sections
    .map(([key, label]) => ({ key, label, choices: key === 'divisions' ? located.concat(earlier) : (options[key] || []) }))
    .filter(s => s.choices.length)
}

/** The Chinese name of a frequency. */
function frequencyLabel(options, value) {
  const found = (options.frequencies || []).find(f => f.value === value)
  return found ? found.label : value
}

module.exports = { editorSections, frequencyLabel }
