"""Categories of requests written from how utilization-review requests are phrased in general (none
taken from a letter): a stand-in for unseen letters, held to the issue's unseen floor with margin."""

from __future__ import annotations

from graph_loader.models import Category
from graph_loader.normalize.treatments.classify import classify_treatment

# category|item, one a line
CASES = """
PHARMACEUTICAL|Oxycodone 10mg #120
PHARMACEUTICAL|Percocet 10/325mg #90
PHARMACEUTICAL|Nucynta ER 100mg #60
PHARMACEUTICAL|Soma 350mg #30
PHARMACEUTICAL|Fexmid 7.5mg #60
PHARMACEUTICAL|Zanaflex 4mg #90
PHARMACEUTICAL|Neurontin 600mg #90
PHARMACEUTICAL|Lyrica 75mg #60
PHARMACEUTICAL|Cymbalta 60mg #30
PHARMACEUTICAL|Elavil 25mg #30
PHARMACEUTICAL|Protonix 20mg #60
PHARMACEUTICAL|Ambien 10mg #30
PHARMACEUTICAL|Lunesta 3mg #30
PHARMACEUTICAL|Xanax 0.5mg #60
PHARMACEUTICAL|Klonopin 1mg #60
PHARMACEUTICAL|Terocin patches #30
PHARMACEUTICAL|Lidoderm 5% patch #30
PHARMACEUTICAL|Flector patch 1.3% #60
PHARMACEUTICAL|Voltaren gel 1% 100g
PHARMACEUTICAL|Theramine #120
PHARMACEUTICAL|Sentra PM #60
PHARMACEUTICAL|Gabadone #60
PHARMACEUTICAL|Trepadone #120
PHARMACEUTICAL|Duexis 800/26.6mg #90
PHARMACEUTICAL|Vimovo 500/20mg #60
PHARMACEUTICAL|Mobic 15mg #30
PHARMACEUTICAL|Anaprox DS 550mg #60
PHARMACEUTICAL|Naprosyn 500mg #60
PHARMACEUTICAL|Celebrex 200mg #30
PHARMACEUTICAL|Ultracet 37.5/325mg #60
PHARMACEUTICAL|Butrans 10mcg/hr patch #4
PHARMACEUTICAL|Fentanyl patch 25mcg #10
PHARMACEUTICAL|Methadone 10mg #90
PHARMACEUTICAL|Hydrocodone/APAP 10/325 #120
PHARMACEUTICAL|Tylenol #3 #60
PHARMACEUTICAL|Menthoderm gel 120ml
PHARMACEUTICAL|Medrox patches #30
PHARMACEUTICAL|Compounded flurbiprofen 20%/lidocaine 5% cream 180gm
PHARMACEUTICAL|Gabapentin 10%/amitriptyline 10%/bupivacaine 5% in Lipoderm base
PHARMACEUTICAL|Omeprazole DR 20mg #60
PHARMACEUTICAL|Trazodone 50mg #30
PHARMACEUTICAL|Sumatriptan 50mg #9
PHARMACEUTICAL|Docusate sodium 100mg #60
PHARMACEUTICAL|Senokot-S #60
PHARMACEUTICAL|Zofran 8mg #10
PHARMACEUTICAL|Keratek gel 4oz
PHARMACEUTICAL|Capsaicin 0.075% cream
PHARMACEUTICAL|Skelaxin 800mg #60
PHARMACEUTICAL|Robaxin 750mg #60
PHARMACEUTICAL|Topamax 50mg #60
PHARMACEUTICAL|Wellbutrin XL 150mg #30
PHARMACEUTICAL|Restoril 30mg #30
PHARMACEUTICAL|Valium 5mg #30
PHARMACEUTICAL|Suboxone 8/2mg film #30
PHARMACEUTICAL|Kadian 30mg #60
PHARMACEUTICAL|Glucosamine sulfate 500mg #90
PHARMACEUTICAL|Viagra 100mg #10
PHARMACEUTICAL|Fioricet #30
PHARMACEUTICAL|Baclofen 10mg #90
PHARMACEUTICAL|Tizanidine 4mg #60
PHARMACEUTICAL|Nexium 40mg #30
PHARMACEUTICAL|Ranitidine 150mg #60
PHARMACEUTICAL|Lidopro ointment 121g
PHARMACEUTICAL|Pennsaid 2% solution
DIAGNOSTIC|MRI of the left wrist
DIAGNOSTIC|CT of the lumbar spine with 3D reconstruction
DIAGNOSTIC|Bone scan of the right foot
DIAGNOSTIC|Ultrasound of the right shoulder
DIAGNOSTIC|Diagnostic ultrasound of the left elbow
DIAGNOSTIC|Flexion-extension x-rays of the lumbar spine
DIAGNOSTIC|EMG/NCS of the bilateral upper extremities
DIAGNOSTIC|Nerve conduction velocity study of the right lower extremity
DIAGNOSTIC|Urine toxicology screen
DIAGNOSTIC|Urine drug testing
DIAGNOSTIC|Comprehensive metabolic panel
DIAGNOSTIC|Hepatic and renal function tests
DIAGNOSTIC|Cytochrome P450 genetic testing
DIAGNOSTIC|Polysomnography
DIAGNOSTIC|Sleep study
DIAGNOSTIC|Echocardiogram
DIAGNOSTIC|Computerized range of motion testing
DIAGNOSTIC|Videonystagmography
DIAGNOSTIC|Lumbar discogram
DIAGNOSTIC|CT myelogram of the cervical spine
DIAGNOSTIC|DEXA scan
DIAGNOSTIC|Pre-operative chest x-ray
DIAGNOSTIC|Pre-op labs: CBC, CMP, PT/INR
DIAGNOSTIC|Functional capacity evaluation
DIAGNOSTIC|Vitamin D level
DIAGNOSTIC|Audiogram
DIAGNOSTIC|SSEP of the lower extremities
PHYSICAL_MEDICINE|Physical therapy 2x4 for the left shoulder
PHYSICAL_MEDICINE|Post-operative physical therapy x 12 for the right knee
PHYSICAL_MEDICINE|Aquatic therapy 2 times a week for 6 weeks
PHYSICAL_MEDICINE|Massage therapy x 6
PHYSICAL_MEDICINE|Chiropractic manipulation 1x6 lumbar
PHYSICAL_MEDICINE|Acupuncture with electrical stimulation x 6
PHYSICAL_MEDICINE|Extracorporeal shockwave therapy for the left heel
PHYSICAL_MEDICINE|Home exercise program
PHYSICAL_MEDICINE|Gym membership for 6 months
PHYSICAL_MEDICINE|Cold laser therapy x 8
PHYSICAL_MEDICINE|Myofascial release 6 sessions
PHYSICAL_MEDICINE|Iontophoresis x 6
PHYSICAL_MEDICINE|Occupational therapy for the right hand 3x4
PHYSICAL_MEDICINE|Hand therapy 12 visits
PHYSICAL_MEDICINE|Spinal decompression therapy x 12
PHYSICAL_MEDICINE|Paraffin bath treatments x 6
PHYSICAL_MEDICINE|Therapeutic ultrasound x 6
PHYSICAL_MEDICINE|Dry needling 6 sessions
PHYSICAL_MEDICINE|Physiotherapy 8 visits
DME|TENS unit rental for 30 days
DME|H-wave unit for home use
DME|Interferential stimulator purchase
DME|Lumbar support brace
DME|LSO brace
DME|Hinged knee brace
DME|Wrist splint
DME|Thumb spica splint
DME|Cervical collar
DME|Custom orthotics
DME|Cane
DME|Front wheeled walker
DME|Crutches
DME|Motorized scooter
DME|Shower chair
DME|Raised toilet seat
DME|Adjustable bed
DME|Ergonomic chair
DME|Home cervical traction unit
DME|Continuous passive motion machine for 21 days
DME|DVT compression device rental
DME|Vascutherm unit 30 day rental
DME|Game Ready cold compression unit
DME|Bone growth stimulator
DME|CPAP machine
DME|Electrodes for TENS unit
DME|Conductive garment
DME|Post-operative shoulder immobilizer
DME|Reacher
DME|Heating pad
DME|Hot/cold pack
DME|Knee scooter
INJECTION|Right L4-5 transforaminal epidural steroid injection
INJECTION|Cervical epidural steroid injection C6-7
INJECTION|Caudal epidural injection
INJECTION|Bilateral L4-5 and L5-S1 facet injections
INJECTION|Medial branch block at L3, L4, L5
INJECTION|Radiofrequency ablation L4-5, L5-S1
INJECTION|Sacroiliac joint injection
INJECTION|Trigger point injections x 4
INJECTION|Cortisone injection to the right shoulder
INJECTION|Subacromial injection
INJECTION|Synvisc-One injection to the left knee
INJECTION|Orthovisc injections x 3
INJECTION|Occipital nerve block
INJECTION|Stellate ganglion block
INJECTION|Botox injections for migraine
INJECTION|Toradol 60mg IM injection
INJECTION|B12 injection
INJECTION|Genicular nerve block
INJECTION|Prolotherapy
INJECTION|Ultrasound-guided steroid injection to the left wrist
INJECTION|Lumbar sympathetic block
SURGERY|Anterior cervical discectomy and fusion C5-6
SURGERY|L4-5 microdiscectomy
SURGERY|L5-S1 TLIF
SURGERY|Lumbar laminectomy L3-4
SURGERY|Right carpal tunnel release
SURGERY|Left cubital tunnel release
SURGERY|Right knee arthroscopy with partial medial meniscectomy
SURGERY|ACL reconstruction, left knee
SURGERY|Total knee arthroplasty
SURGERY|Total hip replacement
SURGERY|Right shoulder arthroscopic rotator cuff repair
SURGERY|Subacromial decompression
SURGERY|Trigger finger release, right middle finger
SURGERY|De Quervain's release
SURGERY|Spinal cord stimulator trial
SURGERY|Removal of hardware, right ankle
SURGERY|ORIF of the left distal radius
SURGERY|Plantar fascia release
SURGERY|Inguinal hernia repair
SURGERY|Assistant surgeon
SURGERY|Two day inpatient stay
SURGERY|Kyphoplasty L1
SURGERY|Lateral epicondyle release
SURGERY|Cervical disc arthroplasty C5-6
SURGERY|Ganglion cyst excision
EVALUATION_AND_MANAGEMENT|Orthopedic consultation
EVALUATION_AND_MANAGEMENT|Consultation with a spine surgeon
EVALUATION_AND_MANAGEMENT|Referral to a pain management specialist
EVALUATION_AND_MANAGEMENT|Neurology consultation
EVALUATION_AND_MANAGEMENT|Follow-up visit in 4 weeks
EVALUATION_AND_MANAGEMENT|Office visit with the primary treating physician
EVALUATION_AND_MANAGEMENT|Internal medicine consultation
EVALUATION_AND_MANAGEMENT|Pre-operative medical clearance
EVALUATION_AND_MANAGEMENT|Podiatry consultation
EVALUATION_AND_MANAGEMENT|Hand surgeon consultation
EVALUATION_AND_MANAGEMENT|Rheumatology referral
EVALUATION_AND_MANAGEMENT|Second opinion with an orthopedic surgeon
EVALUATION_AND_MANAGEMENT|Re-evaluation in 6 weeks
EVALUATION_AND_MANAGEMENT|Physical therapy evaluation
EVALUATION_AND_MANAGEMENT|Nurse case manager
EVALUATION_AND_MANAGEMENT|Urology consultation
EVALUATION_AND_MANAGEMENT|Ophthalmology evaluation
BEHAVIORAL_HEALTH|Cognitive behavioral therapy x 6 sessions
BEHAVIORAL_HEALTH|Psychotherapy 12 sessions
BEHAVIORAL_HEALTH|Psychological evaluation
BEHAVIORAL_HEALTH|Biofeedback 6 sessions
BEHAVIORAL_HEALTH|Psychiatric consultation
BEHAVIORAL_HEALTH|Individual psychotherapy 1x/week for 6 weeks
BEHAVIORAL_HEALTH|Neuropsychological testing
BEHAVIORAL_HEALTH|Group therapy 6 sessions
BEHAVIORAL_HEALTH|Hypnotherapy x 6
PROGRAM|Functional restoration program 80 hours
PROGRAM|Work conditioning 12 sessions
PROGRAM|Multidisciplinary evaluation for a functional restoration program
PROGRAM|Inpatient detoxification
PROGRAM|Weight loss program
PROGRAM|HELP program
HOME_HEALTH|Home health aide 4 hours a day, 5 days a week
HOME_HEALTH|Home health care 8 hours a day
HOME_HEALTH|Skilled nursing visits x 4
HOME_HEALTH|In-home care assistance
TRANSPORTATION|Transportation to and from medical appointments
TRANSPORTATION|Taxi to appointments
TRANSPORTATION|Non-emergency medical transportation
"""


def test_domain_written_requests() -> None:
    rows = [line.split("|", 1) for line in CASES.strip().splitlines()]
    misses = [(item, cat, classify_treatment(item).category.value) for cat, item in rows]
    misses = [m for m in misses if m[1] != m[2]]
    assert len(rows) >= 200
    assert 1 - len(misses) / len(rows) >= 0.97, misses


def test_domain_written_drugs_have_an_ingredient() -> None:
    rows = [line.split("|", 1) for line in CASES.strip().splitlines()]
    drugs = [classify_treatment(item) for cat, item in rows if cat == Category.PHARMACEUTICAL.value]
    missing = [t.name for t in drugs if not (t.drug and t.drug.ingredients and t.treatment_class)]
    assert len(missing) <= len(drugs) * 0.05, missing
