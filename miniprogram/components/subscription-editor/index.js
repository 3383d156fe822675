// The subscription editor, built from GET /api/v1/subscriptions/options: one group of choices per
// criterion (values within a group are OR, groups are AND), free-text keywords, and how often to be told.
// Given the options' divisions, the 区域 group has a picker that walks them (区 -> 街道 -> 社区) or finds one by
// name, so a resident can follow a place other than where they stand (their parents' community, their workplace).
// Emits `save` with {criteria: {topics: [...], ..., keywords: [...]}, frequency}.
const places = require('../../utils/divisions')

const KEYWORD_SPLIT = /[\s,，、;；]+/
const MAX_KEYWORDS = 20
const MAX_VALUES = 20 // per criterion, as the server's options say (limits.values_per_criterion)
const DIVISIONS = 'divisions'

function selection(sections, criteria) {
  const selected = {}
  sections.forEach(s => {
    selected[s.key] = {}
    ;((criteria || {})[s.key] || []).forEach(v => { selected[s.key][v] = true })
  })
  return selected
}

/** A section's choices, with the places picked in this editing for 区域. */
function choicesOf(section, added) {
  if (section.key !== DIVISIONS) return section.choices
  const known = new Set(section.choices.map(c => c.value))
  return section.choices.concat(added.filter(c => !known.has(c.value)))
}

function groups(sections, selected, added) {
  return sections.map(s => ({
    key: s.key,
    label: s.label,
    choices: choicesOf(s, added).map(c => ({ value: c.value, label: c.label, on: Boolean(selected[s.key] && selected[s.key][c.value]) })),
  }))
}

Component({
  properties: {
    sections: { type: Array, value: [] },
    frequencies: { type: Array, value: [] },
    value: { type: Object, value: null },
    saving: { type: Boolean, value: false },
    // The options' divisions ({value, label, level, parent}); none: no picker.
    divisions: { type: Array, value: [] },
  },
  data: {
    groups: [], keywords: '', frequency: '', selected: {}, keywordError: '', limitError: '', added: [],
    hasPlaces: false, picking: false, trail: [], placeRows: [], query: '',
  },
  observers: {
    'sections, value, frequencies'(sections, value) {
      const v = value || {}
      const selected = selection(sections || [], v.criteria)
      const frequencies = this.properties.frequencies || []
      this.setData({
        selected,
        added: [],
        picking: false,
        groups: groups(sections || [], selected, []),
        keywords: ((v.criteria || {}).keywords || []).join(' '),
        frequency: v.frequency || (frequencies[0] && frequencies[0].value) || '',
      })
    },
    divisions(divisions) {
      this.tree = places.buildTree(divisions)
      this.setData({ hasPlaces: Boolean(divisions && divisions.length) })
    },
  },
  methods: {
    onChoice(e) {
      const { key, value } = e.currentTarget.dataset
      this.toggle(key, value)
    },
    toggle(key, value) {
      const selected = Object.assign({}, this.data.selected)
      const turningOn = !(selected[key] && selected[key][value])
      const on = Object.values(selected[key] || {}).filter(Boolean).length
      if (turningOn && on >= MAX_VALUES) {
        // Said here, at the 21st tap, rather than by the server's 422 after the whole form is filled in.
        const group = this.properties.sections.find(s => s.key === key)
        this.setData({ limitError: `${group ? group.label : ''}最多选择${MAX_VALUES}项` })
        return
      }
      selected[key] = Object.assign({}, selected[key], { [value]: turningOn })
      this.setData({ selected, limitError: '', groups: groups(this.properties.sections, selected, this.data.added) })
      if (this.data.picking) this.setData({ placeRows: this.marked(this.data.placeRows) })
    },
    onKeywords(e) {
      this.setData({ keywords: e.detail.value, keywordError: '' })
    },
    onFrequency(e) {
      this.setData({ frequency: e.currentTarget.dataset.value })
    },

    // The division picker: rows of one level (or search results), each opened or chosen.
    marked(rows) {
      const chosen = this.data.selected[DIVISIONS] || {}
      return rows.map(r => Object.assign({}, r, { on: Boolean(chosen[r.value]) }))
    },
    showLevel(parent) {
      const trail = parent ? places.pathOf(this.tree, parent).map(d => ({ value: d.value, label: d.label })) : []
      this.setData({ picking: true, query: '', trail, placeRows: this.marked(places.childrenOf(this.tree, parent)) })
    },
    onPickPlace() {
      this.showLevel('')
    },
    onClosePicker() {
      this.setData({ picking: false })
    },
    onTrail(e) {
      const index = Number(e.currentTarget.dataset.index)
      this.showLevel(index < 0 ? '' : this.data.trail[index].value)
    },
    onPlaceSearch(e) {
      const query = e.detail.value
      const parent = this.data.trail.length ? this.data.trail[this.data.trail.length - 1].value : ''
      const rows = query.trim() ? places.search(this.tree, query) : places.childrenOf(this.tree, parent)
      this.setData({ query, placeRows: this.marked(rows) })
    },
    // A division with divisions inside opens; a community is chosen.
    onPlaceRow(e) {
      const row = this.data.placeRows.find(r => r.value === e.currentTarget.dataset.value)
      if (row.more) this.showLevel(row.value)
      else this.onPlaceToggle(e)
    },
    onPlaceToggle(e) {
      const row = this.data.placeRows.find(r => r.value === e.currentTarget.dataset.value)
      const section = this.properties.sections.find(s => s.key === DIVISIONS)
      if (!section) return
      if (!choicesOf(section, this.data.added).some(c => c.value === row.value)) {
        this.setData({ added: this.data.added.concat({ value: row.value, label: row.label }) })
      }
      this.toggle(DIVISIONS, row.value)
    },

    onSave() {
      if (this.properties.saving) return
      const keywords = [...new Set(this.data.keywords.split(KEYWORD_SPLIT).map(k => k.trim()).filter(Boolean))]
      if (keywords.length > MAX_KEYWORDS) {
        this.setData({ keywordError: `关键词最多${MAX_KEYWORDS}个` })
        return
      }
      const criteria = {}
      this.properties.sections.forEach(s => {
        // In the options' order (places picked here last), so the same choice always reads the same.
        criteria[s.key] = choicesOf(s, this.data.added).map(c => c.value).filter(v => this.data.selected[s.key][v])
      })
      criteria.keywords = keywords
      this.triggerEvent('save', { criteria, frequency: this.data.frequency })
    },
  },
})
