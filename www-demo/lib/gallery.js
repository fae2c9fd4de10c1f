// The sample gallery's data (gallery/gallery.json, written by scripts/build-demo.mjs): groups of
// samples, each with its QR texts, images, expected verdict, own policy and the TEST ONLY trust
// behind it. DOM-free; `fetch` is passed in.

/** Loads the gallery; throws with the HTTP status when it cannot. */
export async function loadGallery(fetchFn = globalThis.fetch, url = './gallery/gallery.json') {
  const response = await fetchFn(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** The groups in order, each with its samples. */
export function groupsOf(gallery) {
  return (gallery?.groups ?? []).map((group) => ({
    ...group,
    samples: gallery.samples.filter((s) => s.group === group.id),
  }));
}

/** The QR text of a sample, or of one part (0-based) of a sample printed as several QR codes. */
export function sampleText(sample, part = 0) {
  return sample.chunks ? sample.chunks[part] : sample.payload;
}

/** Where a text came from, for a sample: it carries the sample's own policy. */
export function sampleOrigin(sample) {
  return { source: 'sample', label: sample.label, policy: sample.policy, sample: sample.id };
}
