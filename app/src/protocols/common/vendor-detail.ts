// A vendor knowledge-base entry as one annotation detail: the vendor's meaning, what to do, its page.
import type { VendorEntry } from '../vendors/types.ts';
import type { AnnotationDetail } from './types.ts';

export function vendorDetail(v: VendorEntry): AnnotationDetail {
  return {
    term: `${v.vendor} says`,
    text: `${v.meaning} What to do: ${v.todo}`,
    rfc: { doc: v.doc.title, url: v.doc.url },
  };
}
