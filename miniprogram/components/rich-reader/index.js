// The document body: the server's rich-text nodes (already sanitised) at the reader's font size.
const SIZES = [14, 16, 18, 20, 22]

Component({
  properties: {
    nodes: { type: Array, value: [] },
    level: { type: Number, value: 1 },
  },
  data: { size: SIZES[1], canSmaller: true, canLarger: true },
  observers: {
    level(level) {
      const clamped = Math.min(Math.max(Number(level) || 0, 0), SIZES.length - 1)
      this.setData({ size: SIZES[clamped], canSmaller: clamped > 0, canLarger: clamped < SIZES.length - 1 })
    },
  },
  methods: {
    change(delta) {
      const next = Math.min(Math.max(this.properties.level + delta, 0), SIZES.length - 1)
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
