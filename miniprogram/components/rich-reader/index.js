// The document body: the server's rich-text nodes (already sanitised) at the reader's font size.
// Five levels; in 关怀模式 (care) the same five levels start at 18px, so the body is never below 18px there.
const SIZES = [14, 16, 18, 20, 22, 24, 26]
const LEVELS = 5
const CARE_OFFSET = 2

Component({
  properties: {
    nodes: { type: Array, value: [] },
    level: { type: Number, value: 1 },
    care: { type: Boolean, value: false },
  },
  data: { size: SIZES[1], canSmaller: true, canLarger: true },
  observers: {
    'level, care'(level, care) {
      const clamped = Math.min(Math.max(Number(level) || 0, 0), LEVELS - 1)
      this.setData({ size: SIZES[clamped + (care ? CARE_OFFSET : 0)], canSmaller: clamped > 0, canLarger: clamped < LEVELS - 1 })
    },
  },
  methods: {
    change(delta) {
      const next = Math.min(Math.max(this.properties.level + delta, 0), LEVELS - 1)
      if (next !== this.properties.level) this.triggerEvent('fontsize', { level: next })
    },
    onSmaller() {
      this.change(-1)
    },
    onLarger() {
      this.change(1)
    },
  },
})
