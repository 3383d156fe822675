// The subscription editor, built from GET /api/v1/subscriptions/options: one group of choices per
// criterion (values within a group are OR, groups are AND), free-text keywords, and how often to be told.
// Emits `save` with {criteria: {topics: [...], ..., keywords: [...]}, frequency}.

const KEYWORD_SPLIT = /[\s,，、;；]+/
const MAX_KEYWORDS = 20

function selection(sections, criteria) {
  const selected = {}
  sections.forEach(s => {
    selected[s.key] = {}
    ;((criteria || {})[s.key] || []).forEach(v => { selected[s.key][v] = true })
  })
  return selected
}

function groups(sections, selected) {
  return sections.map(s => ({
    key: s.key,
    label: s.label,
    choices: s.choices.map(c => ({ value: c.value, label: c.label, on: Boolean(selected[s.key] && selected[s.key][c.value]) })),
  }))
}

Component({
  properties: {
    sections: { type: Array, value: [] },
    frequencies: { type: Array, value: [] },
    value: { type: Object, value: null },
    saving: { type: Boolean, value: false },
  },
  data: { groups: [], keywords: '', frequency: '', selected: {}, keywordError: '' },
  observers: {
    'sections, value, frequencies'(sections, value) {
      const v = value || {}
      const selected = selection(sections || [], v.criteria)
      const frequencies = this.properties.frequencies || []
      this.setData({
        selected,
        groups: groups(sections || [], selected),
        keywords: ((v.criteria || {}).keywords || []).join(' '),
        frequency: v.frequency || (frequencies[0] && frequencies[0].value) || '',
      })
    },
  },
  methods: {
    onChoice(e) {
      const { key, value } = e.currentTarget.dataset
      const selected = Object.assign({}, this.data.selected)
      selected[key] = Object.assign({}, selected[key], { [value]: !(selected[key] && selected[key][value]) })
      this.setData({ selected, groups: groups(this.properties.sections, selected) })
    },
    onKeywords(e) {
      this.setData({ keywords: e.detail.value, keywordError: '' })
    },
    onFrequency(e) {
      this.setData({ frequency: e.currentTarget.dataset.value })
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
        // In the options' order, so the same choice always reads the same.
        criteria[s.key] = s.choices.map(c => c.value).filter(v => this.data.selected[s.key][v])
      })
      criteria.keywords = keywords
      this.triggerEvent('save', { criteria, frequency: this.data.frequency })
    },
  },
})
