// The real-name form (实名预约): name, 身份证 and mobile, checked with the server's rules before sending,
// and the resident's consent to their use. Emits `submit` with the normalised values.
const validators = require('../../utils/validators')

const CHECKS = {
  name: validators.checkName,
  id_number: value => validators.checkIdNumber(value),
  phone: validators.checkPhone,
}

Component({
  properties: {
    submitting: { type: Boolean, value: false },
    buttonText: { type: String, value: '提交预约' },
  },
  data: {
    values: { name: '', id_number: '', phone: '' },
    errors: { name: '', id_number: '', phone: '' },
    agreed: false,
  },
  methods: {
    onInput(e) {
      const field = e.currentTarget.dataset.field
      this.setData({ [`values.${field}`]: e.detail.value, [`errors.${field}`]: '' })
    },
    onBlur(e) {
      const field = e.currentTarget.dataset.field
      if (!this.data.values[field]) return
      const result = CHECKS[field](this.data.values[field])
      this.setData({ [`errors.${field}`]: result.message })
    },
    onAgree(e) {
      this.setData({ agreed: (e.detail.value || []).length > 0 })
    },
    onPrivacy() {
      this.triggerEvent('privacy', {})
    },
    onSubmit() {
      if (this.properties.submitting) return
      const checked = {}
      const errors = {}
      Object.keys(CHECKS).forEach(field => {
        checked[field] = CHECKS[field](this.data.values[field])
        errors[field] = checked[field].message
      })
      this.setData({ errors })
      if (Object.keys(checked).some(field => !checked[field].ok)) return
      if (!this.data.agreed) {
        this.setData({ consentError: '请先阅读并同意个人信息使用说明' })
        return
      }
      this.setData({ consentError: '' })
      this.triggerEvent('submit', { name: checked.name.value, id_number: checked.id_number.value, phone: checked.phone.value })
    },
  },
})
