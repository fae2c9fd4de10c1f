// How each document's fields are laid out: title, order and labels, in Vietnamese and English,
// following the printed document (field names from docs/profiles/vneid-document.md and the
// verdict's `document.fields`). Fields a layout does not name are still shown, after the named
// ones, under a label made from their name: nothing the verifier returns is hidden.
//
// Row kinds: text (default), date (YYYY-MM-DD), datetime (RFC 3339), sex, multiline,
// group (a nested object with its own rows) and table (a list of objects, with columns).
// A layout's title is `title`, or `titles[fields[titleBy]]` when the document says which kind
// it is (the ID card QR's card type, a VDS-NC seal's type).
//
// Every label of every format is here: the verifier returns typed fields and no display text,
// coded values included (an EU DCC's value-set codes, a SMART Health Card's `{system, code}`):
// `valueLabel` names the ones people meet most often, and any other code is shown as it is.

const L = (en, vi) => ({ en, vi });

const PERSON = {
  personalId: L('Personal identification number', 'Số định danh cá nhân'),
  fullName: L('Full name', 'Họ, chữ đệm và tên'),
  dateOfBirth: L('Date of birth', 'Ngày, tháng, năm sinh'),
  sex: L('Sex', 'Giới tính'),
  nationality: L('Nationality', 'Quốc tịch'),
  issueDate: L('Date of issue', 'Ngày cấp'),
  expiryDate: L('Date of expiry', 'Có giá trị đến'),
  issuingAuthority: L('Issuing authority', 'Cơ quan cấp'),
};

const row = (key, label, kind = 'text', extra = {}) => ({ key, label, kind, ...extra });

/** EU DCC value sets (2022): the codes people meet most often, as the certificate gives them. */
export const DCC_VALUES = {
  '840539006': L('COVID-19', 'COVID-19'),
  '1119349007': L('SARS-CoV-2 mRNA vaccine', 'Vắc-xin mRNA phòng SARS-CoV-2'),
  '1119305005': L('SARS-CoV-2 antigen vaccine', 'Vắc-xin kháng nguyên phòng SARS-CoV-2'),
  J07BX03: L('COVID-19 vaccines', 'Vắc-xin COVID-19'),
  '29061000087103': L('COVID-19 non-replicating viral vector vaccine', 'Vắc-xin COVID-19 véc-tơ virus không sao chép'),
  'EU/1/20/1528': L('Comirnaty', 'Comirnaty'),
  'EU/1/20/1507': L('Spikevax', 'Spikevax'),
  'EU/1/21/1529': L('Vaxzevria', 'Vaxzevria'),
  'EU/1/20/1525': L('Jcovden (COVID-19 Vaccine Janssen)', 'Jcovden (COVID-19 Vaccine Janssen)'),
  'EU/1/21/1618': L('Nuvaxovid', 'Nuvaxovid'),
  'EU/1/21/1624': L('COVID-19 Vaccine Valneva', 'COVID-19 Vaccine Valneva'),
  'EU/1/21/1580': L('VidPrevtyn Beta', 'VidPrevtyn Beta'),
  'ORG-100030215': L('Biontech Manufacturing GmbH', 'Biontech Manufacturing GmbH'),
  'ORG-100031184': L('Moderna Biotech Spain S.L.', 'Moderna Biotech Spain S.L.'),
  'ORG-100001699': L('AstraZeneca AB', 'AstraZeneca AB'),
  'ORG-100001417': L('Janssen-Cilag International', 'Janssen-Cilag International'),
  'ORG-100032020': L('Novavax CZ a.s.', 'Novavax CZ a.s.'),
  'LP6464-4': L('Nucleic acid amplification with probe detection (NAAT)', 'Khuếch đại axit nucleic, phát hiện bằng mẫu dò (NAAT)'),
  'LP217198-3': L('Rapid immunoassay (antigen test)', 'Xét nghiệm miễn dịch nhanh (kháng nguyên)'),
  '260415000': L('Not detected', 'Không phát hiện'),
  '260373001': L('Detected', 'Phát hiện'),
};

/** FHIR codings (`{system, code}`) on SMART Health Cards: CVX COVID-19 vaccines, SNOMED CT results. */
export const FHIR_CODINGS = {
  'http://hl7.org/fhir/sid/cvx': {
    207: L('COVID-19 vaccine, mRNA (Moderna)', 'Vắc-xin COVID-19, mRNA (Moderna)'),
    208: L('COVID-19 vaccine, mRNA (Pfizer-BioNTech)', 'Vắc-xin COVID-19, mRNA (Pfizer-BioNTech)'),
    210: L('COVID-19 vaccine, viral vector (AstraZeneca)', 'Vắc-xin COVID-19, véc-tơ virus (AstraZeneca)'),
    211: L('COVID-19 vaccine, protein subunit (Novavax)', 'Vắc-xin COVID-19, tiểu đơn vị protein (Novavax)'),
    212: L('COVID-19 vaccine, viral vector (Janssen)', 'Vắc-xin COVID-19, véc-tơ virus (Janssen)'),
    213: L('COVID-19 vaccine, unspecified', 'Vắc-xin COVID-19, không rõ loại'),
  },
  'http://snomed.info/sct': {
    260385009: L('Negative', 'Âm tính'),
    10828004: L('Positive', 'Dương tính'),
    260415000: L('Not detected', 'Không phát hiện'),
    260373001: L('Detected', 'Phát hiện'),
  },
};

const own = (table, key) => (table && typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : null);

/**
 * The labels (`{en, vi}`) of a coded value under its row, or `null` when the layout does not name
 * it (the caller shows the code as it is): an `enum` row's value in its `values`, a `coding`
 * row's `{system, code}` in FHIR_CODINGS. Only own entries count: a code is untrusted text.
 */
export function valueLabel(spec, value) {
  if (spec?.kind === 'enum') return own(spec.values, value);
  if (spec?.kind === 'coding' && value && typeof value === 'object') return own(own(FHIR_CODINGS, value.system), value.code);
  return null;
}

/** A row of EU DCC value-set codes. */
const dcc = (key, label) => row(key, label, 'enum', { values: DCC_VALUES });
const p = (key, kind = 'text') => row(key, PERSON[key], kind);

export const DOCUMENT_LAYOUTS = {
  cccd: {
    title: L('Identity card', 'Căn cước'),
    rows: [
      p('personalId'), p('fullName'), p('dateOfBirth', 'date'), p('sex', 'sex'), p('nationality'),
      row('placeOfOrigin', L('Place of origin', 'Quê quán')),
      row('placeOfResidence', L('Place of residence', 'Nơi thường trú')),
      p('issueDate', 'date'), p('expiryDate', 'date'), p('issuingAuthority'),
      row('previousIdNumber', L('Previous ID card number (CMND)', 'Số CMND cũ')),
    ],
  },
  driving_licence: {
    title: L('Driving licence', 'Giấy phép lái xe'),
    rows: [
      row('number', L('No.', 'Số')), p('fullName'), p('dateOfBirth', 'date'), p('nationality'),
      p('personalId'), row('placeOfResidence', L('Place of residence', 'Nơi cư trú')),
      row('classes', L('Classes', 'Hạng'), 'table', {
        columns: [
          row('class', L('Class', 'Hạng')),
          row('issueDate', L('Issued', 'Ngày cấp'), 'date'),
          row('expiryDate', L('Valid until', 'Có giá trị đến'), 'date', { empty: 'doc.noExpiry' }),
        ],
      }),
      p('issueDate', 'date'), p('issuingAuthority'),
    ],
  },
  vehicle_registration: {
    title: L('Vehicle registration certificate', 'Chứng nhận đăng ký xe'),
    rows: [
      row('number', L('No.', 'Số')), row('plate', L('Registration plate', 'Biển số đăng ký')),
      row('ownerName', L('Owner', 'Tên chủ xe')), row('ownerId', L('Owner’s ID number', 'Số định danh chủ xe')),
      row('ownerAddress', L('Address', 'Địa chỉ')),
      row('vehicle', L('Vehicle', 'Thông tin xe'), 'group', {
        rows: [
          row('type', L('Type', 'Loại xe')), row('brand', L('Make', 'Nhãn hiệu')),
          row('model', L('Model', 'Số loại')), row('color', L('Colour', 'Màu sơn')),
          row('engineNumber', L('Engine number', 'Số máy')), row('chassisNumber', L('Chassis number', 'Số khung')),
          row('seats', L('Seats', 'Số chỗ ngồi')), row('manufactureYear', L('Year of manufacture', 'Năm sản xuất')),
        ],
      }),
      row('registrationDate', L('First registered', 'Đăng ký lần đầu ngày'), 'date'),
      p('expiryDate', 'date'), p('issuingAuthority'),
    ],
  },
  health_insurance: {
    title: L('Health insurance card', 'Thẻ bảo hiểm y tế'),
    rows: [
      row('cardNumber', L('Card number', 'Mã số thẻ')),
      row('socialInsuranceNumber', L('Social insurance number', 'Mã số bảo hiểm xã hội')),
      p('fullName'), p('dateOfBirth', 'date'), p('sex', 'sex'), p('personalId'),
      row('address', L('Address', 'Địa chỉ')),
      row('beneficiaryGroup', L('Beneficiary group', 'Mã đối tượng')),
      row('benefitLevel', L('Benefit level', 'Mức hưởng')),
      row('registeredFacility', L('Registered primary care facility', 'Nơi đăng ký khám chữa bệnh ban đầu')),
      row('validFrom', L('Valid from', 'Giá trị sử dụng từ'), 'date'),
      row('validTo', L('Valid to', 'Đến ngày'), 'date'),
    ],
  },
  residence: {
    title: L('Confirmation of residence', 'Xác nhận thông tin về cư trú'),
    rows: [
      p('personalId'), p('fullName'), p('dateOfBirth', 'date'), p('sex', 'sex'),
      row('permanentResidence', L('Permanent residence', 'Nơi thường trú')),
      row('temporaryResidence', L('Temporary residence', 'Nơi tạm trú')),
      row('currentResidence', L('Current residence', 'Nơi ở hiện tại')),
      row('householdHead', L('Head of household', 'Họ, chữ đệm và tên chủ hộ')),
      row('relationshipToHead', L('Relationship to the head', 'Quan hệ với chủ hộ')),
      p('issueDate', 'date'), p('expiryDate', 'date'), p('issuingAuthority'),
    ],
  },
  criminal_record: {
    title: L('Criminal record certificate', 'Phiếu lý lịch tư pháp'),
    rows: [
      row('number', L('No.', 'Số')), row('form', L('Form', 'Mẫu số')),
      p('fullName'), p('sex', 'sex'), p('dateOfBirth', 'date'),
      row('placeOfBirth', L('Place of birth', 'Nơi sinh')), p('nationality'), p('personalId'),
      row('passportNumber', L('Passport number', 'Số hộ chiếu')),
      row('summary', L('Criminal record', 'Tình trạng án tích'), 'multiline'),
      p('issueDate', 'date'), p('issuingAuthority'),
    ],
  },
  eu_dcc: {
    title: L('EU Digital COVID Certificate', 'Chứng nhận COVID kỹ thuật số EU'),
    rows: [
      row('familyName', L('Surname', 'Họ')), row('givenName', L('Forename', 'Tên')),
      row('dateOfBirth', L('Date of birth', 'Ngày sinh'), 'date'),
      row('kind', L('Certificate for', 'Loại chứng nhận'), 'enum', {
        values: { vaccination: L('Vaccination', 'Tiêm chủng'), test: L('Test', 'Xét nghiệm'), recovery: L('Recovery', 'Đã khỏi bệnh') },
      }),
      dcc('disease', L('Disease', 'Bệnh')),
      dcc('vaccine', L('Vaccine', 'Loại vắc-xin')), dcc('product', L('Product', 'Tên vắc-xin')),
      dcc('manufacturer', L('Manufacturer', 'Nhà sản xuất')),
      row('doseNumber', L('Dose', 'Mũi số')), row('totalDoses', L('Of doses', 'Trên tổng số mũi')),
      row('date', L('Date of vaccination', 'Ngày tiêm'), 'date'),
      dcc('testType', L('Type of test', 'Loại xét nghiệm')), row('testName', L('Test name', 'Tên xét nghiệm')),
      dcc('result', L('Result', 'Kết quả')), row('sampleCollected', L('Sample collected', 'Thời điểm lấy mẫu'), 'datetime'),
      row('testCentre', L('Testing centre', 'Cơ sở xét nghiệm')),
      row('firstPositiveTest', L('First positive test', 'Ngày xét nghiệm dương tính đầu tiên'), 'date'),
      row('validFrom', L('Valid from', 'Có giá trị từ'), 'date'), row('validUntil', L('Valid until', 'Có giá trị đến'), 'date'),
      row('country', L('Member state', 'Quốc gia')),
      row('certificateIssuer', L('Certificate issuer', 'Cơ quan cấp chứng nhận')),
      row('certificateId', L('Certificate identifier', 'Mã chứng nhận')),
    ],
    omit: ['schemaVersion', 'familyNameTransliterated', 'givenNameTransliterated'],
  },
  shc: {
    title: L('SMART Health Card', 'SMART Health Card'),
    rows: [
      row('patient', L('Patient', 'Người được cấp'), 'group', {
        rows: [row('name', L('Name', 'Họ tên')), row('birthDate', L('Date of birth', 'Ngày sinh'), 'date')],
      }),
      row('immunizations', L('Immunizations', 'Tiêm chủng'), 'table', {
        columns: [
          row('date', L('Date', 'Ngày'), 'date'),
          row('vaccineCode', L('Vaccine', 'Vắc-xin'), 'coding'),
          row('lotNumber', L('Lot', 'Số lô')),
          row('performer', L('Given by', 'Nơi tiêm')),
        ],
      }),
      row('observations', L('Results', 'Kết quả xét nghiệm'), 'table', {
        columns: [
          row('date', L('Date', 'Ngày'), 'date'),
          row('code', L('Test (code)', 'Xét nghiệm (mã)'), 'coding'),
          row('value', L('Result', 'Kết quả'), 'coding'),
          row('status', L('Status', 'Trạng thái')),
        ],
      }),
    ],
    omit: ['fhirVersion', 'types', 'rid', 'issuer', 'otherResources'],
  },
  vds_nc: {
    title: L('Visible digital seal', 'Con dấu số'),
    titleBy: 'type',
    titles: {
      'icao.vacc': L('Proof of vaccination', 'Chứng nhận tiêm chủng'),
      'icao.test': L('Proof of testing', 'Chứng nhận xét nghiệm'),
    },
    rows: [
      row('person', L('Holder', 'Người được cấp'), 'group', {
        rows: [
          row('name', L('Name', 'Họ tên')), row('dateOfBirth', L('Date of birth', 'Ngày sinh'), 'date'),
          row('sex', L('Sex', 'Giới tính'), 'sex'),
          row('travelDocumentNumber', L('Travel document number', 'Số giấy tờ đi lại')),
          row('otherDocumentNumber', L('Other document number', 'Số giấy tờ khác')),
        ],
      }),
      row('issuingState', L('Issuing state', 'Quốc gia cấp')),
      row('uvci', L('Certificate identifier (UVCI)', 'Mã chứng nhận (UVCI)')),
      row('vaccinations', L('Vaccinations', 'Tiêm chủng'), 'list', {
        rows: [
          row('brand', L('Vaccine brand', 'Tên vắc-xin')), row('vaccine', L('Vaccine (code)', 'Vắc-xin (mã)')),
          row('disease', L('Disease (code)', 'Bệnh (mã)')),
          row('doses', L('Doses', 'Các mũi tiêm'), 'table', {
            columns: [
              row('doseNumber', L('Dose', 'Mũi')), row('date', L('Date', 'Ngày'), 'date'),
              row('country', L('Country', 'Quốc gia')), row('administeringCentre', L('Given by', 'Nơi tiêm')),
              row('lot', L('Lot', 'Số lô')), row('nextDoseDue', L('Next dose due', 'Mũi tiếp theo'), 'date'),
            ],
          }),
        ],
      }),
      row('signer', L('Signer certificate', 'Chứng thư ký'), 'group', {
        rows: [
          row('subject', L('Subject', 'Chủ thể')), row('issuer', L('Issued by', 'Cấp bởi')),
          row('serialNumber', L('Serial number', 'Số sê-ri')),
          row('notBefore', L('Valid from', 'Hiệu lực từ'), 'datetime'),
          row('notAfter', L('Valid until', 'Hiệu lực đến'), 'datetime'),
          row('trustedAuthority', L('Trusted through', 'Tin cậy qua')),
        ],
      }),
    ],
    omit: ['type', 'version'],
  },
};

/** The VNeID identity's person claims, as tokens and presentations carry them. */
const IDENTITY_ROWS = [
  row('sub', PERSON.personalId), row('name', PERSON.fullName),
  row('birthdate', PERSON.dateOfBirth, 'date'), row('gender', PERSON.sex, 'sex'),
];

/** The VNeID identity token's holder, from its verified claims. */
export const TOKEN_LAYOUT = {
  title: L('VNeID electronic identity', 'Định danh điện tử VNeID'),
  rows: [
    ...IDENTITY_ROWS,
    row('aud', L('For (audience)', 'Dành cho (bên nhận)')),
  ],
};

/** A presentation of the VNeID identity credential (SD-JWT or VNP1): only what the holder disclosed. */
export const PRESENTATION_LAYOUT = {
  title: L('VNeID identity, as presented by its holder', 'Định danh VNeID, do chủ sở hữu xuất trình'),
  rows: [
    ...IDENTITY_ROWS,
    row('vct', L('Credential type', 'Loại giấy tờ')),
  ],
};

/** Any other ES256 JWT (an OpenID Connect ID token…): its subject is an account, not an ID number. */
export const JWT_LAYOUT = {
  title: L('Signed token (JWT)', 'Mã thông báo có chữ ký (JWT)'),
  rows: [
    row('sub', L('Subject (account)', 'Chủ thể (tài khoản)')), row('name', L('Name', 'Tên')),
    row('email', L('Email', 'Thư điện tử')), row('birthdate', PERSON.dateOfBirth, 'date'),
    row('aud', L('For (audience)', 'Dành cho (bên nhận)')),
    row('auth_time', L('Signed in at', 'Đăng nhập lúc'), 'seconds'),
  ],
};

/**
 * The unsigned chip ID card QR (`cccd_qr`): its seven fields in the card's order, titled by the
 * card type the verifier recognised, then what the ID number encodes. The verifier returns typed
 * values only (ISO dates, `male`/`female`); every label is here.
 */
export const CCCD_QR = {
  title: L('ID card', 'Thẻ căn cước'),
  titleBy: 'cardType',
  titles: {
    cccd: L('Chip citizen ID card (2021–2024)', 'Căn cước công dân gắn chip (2021–2024)'),
    can_cuoc: L('Identity card (from 07/2024)', 'Thẻ căn cước (từ 07/2024)'),
  },
  rows: [
    row('personalId', L('Personal ID number', 'Số định danh cá nhân')),
    row('oldIdNumber', L('Old ID card number (CMND)', 'Số CMND cũ')),
    row('fullName', L('Full name', 'Họ và tên')),
    row('dateOfBirth', L('Date of birth', 'Ngày sinh'), 'date'),
    row('sex', L('Sex', 'Giới tính'), 'sex'),
    row('address', L('Place of residence', 'Nơi thường trú')),
    row('issueDate', L('Date of issue', 'Ngày cấp'), 'date'),
  ],
  omit: ['cardType', 'personalIdDecoded', 'additionalFields', 'encodingRepaired'],
  decoded: {
    title: L('Decoded from the ID number', 'Giải mã từ số định danh'),
    rows: [
      row('province', L('Place of birth registration', 'Nơi đăng ký khai sinh')),
      row('birthYear', L('Year of birth', 'Năm sinh')),
      row('sex', L('Sex', 'Giới tính'), 'sex'),
      row('bornAbroad', L('Born abroad', 'Sinh ở nước ngoài'), 'bool'),
    ],
    omit: ['registrationCode'],
  },
};

/** A label from a field name: `placeOfBirth` → `Place of birth`. */
export function humanize(key) {
  const words = String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * How to show a verdict's holder data, or `null` when it has none (a rejected token):
 * `{title, rows, omit, fields, type}`, where `fields` is what the rows read (a token's claims, a
 * document's fields) and `type` the document type (none for tokens). For the ID card QR, also
 * `decoded` (what the ID number encodes, with its layout) and `extra` (the fields after the
 * seventh, not published).
 */
export function layoutOf(verdict) {
  const claimsLayout = { vneid_token: TOKEN_LAYOUT, jwt: JWT_LAYOUT, sd_jwt_vc: PRESENTATION_LAYOUT, vneid_presentation: PRESENTATION_LAYOUT };
  if (Object.hasOwn(claimsLayout, verdict.format)) {
    if (!verdict.claims) return null;
    const layout = claimsLayout[verdict.format];
    const shown = new Set(layout.rows.map((r) => r.key));
    return {
      title: layout.title, rows: layout.rows, fields: verdict.claims,
      omit: Object.keys(verdict.claims).filter((k) => !shown.has(k)), // other claims: under Technical details
    };
  }
  const doc = verdict.document;
  if (!doc) return null;
  const fields = doc.fields ?? {};
  if (verdict.format === 'cccd_qr') {
    return {
      type: 'cccd_qr', title: titleOf(CCCD_QR, fields), rows: CCCD_QR.rows, omit: CCCD_QR.omit, fields,
      decoded: fields.personalIdDecoded ? { ...CCCD_QR.decoded, fields: fields.personalIdDecoded } : null,
      extra: (fields.additionalFields ?? []).filter((v) => v !== null && v !== undefined && v !== ''),
    };
  }
  const layout = DOCUMENT_LAYOUTS[doc.type] ?? { title: { en: humanize(doc.type), vi: humanize(doc.type) }, rows: [] };
  return { type: doc.type, title: titleOf(layout, fields), rows: layout.rows, omit: layout.omit ?? [], fields };
}

function titleOf(layout, fields) {
  const kind = layout.titleBy ? fields[layout.titleBy] : undefined;
  return (typeof kind === 'string' && Object.hasOwn(layout.titles, kind) ? layout.titles[kind] : null) ?? layout.title;
}
