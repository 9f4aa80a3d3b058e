"""Patterns of the built-in risk categories, in English and Korean.

Hand-written for this project from how customers describe harm, threats, data exposure and
public pressure; they were adjusted only on the "tune" half of tests/data/triage_dev.jsonl.

English patterns are matched on lowercased text, on word boundaries. Korean patterns are
matched on the text with its spaces removed (Korean spacing is inconsistent, and particles
and endings attach to the stem: 화상을 입었어요, 화상 입음), so each Korean pattern is a stem
followed by the endings that carry the meaning. Both are plain ``regex`` alternations.

``GUARDS`` are look-alikes that say nothing urgent ("this ramen is fire", "죽을 때까지 먹을
듯", "고소한 맛"): their spans are blanked out before the categories are matched, so a
guard never hides a real signal elsewhere in the same message.
"""

from __future__ import annotations

_PERSON = r"(?:my|his|her|their|our|me|him|us|the kids?|my (?:son|daughter|kid|child|baby|wife|husband|mom|dad))"

ENGLISH: dict[str, tuple[str, ...]] = {
    "safety": (
        r"allergic reaction", r"anaphyla\w*", r"epi-?pen", r"hives",
        r"(?:lips?|face|tongue|throat|eyes?|mouth)\b[^.!?]{0,25}\b(?:swell\w*|swollen|puff\w*|closing|blotchy)",
        r"(?:swell\w*|swollen|puffy) (?:up|lips?|face|tongue|throat|eyes?)",
        r"throat[^.!?]{0,15}clos\w*", r"(?:can'?t|couldn'?t|could not|cannot|hard to|trouble|struggl\w+ to) breath\w*",
        r"food poisoning", r"poison\w*", r"(?:threw|throwing|throw) up", r"vomit\w*", r"diarrh\w*",
        r"(?:got|made|making|gotten|feel(?:ing)?) (?:me |us |him |her |them |everyone |my \w+ )?(?:really |so |very )?(?:sick|ill)\b",
        r"can'?t keep anything down",
        rf"burn(?:ed|t|s|ing)? {_PERSON}\b", r"(?:chemical|severe|bad|nasty|2nd|second|third|3rd)[- ]degree burns?",
        r"(?:chemical|severe|bad|nasty) burns?", r"burns? (?:on|to) (?:my|his|her|their)", r"blister\w*", r"scald\w*",
        r"(?:caught|catch|catches|catching|on) fire", r"burst into flames", r"flames?\b", r"(?:started|starting|start) a fire",
        r"(?:could|would|might) have (?:burn\w*|started a fire|set)",
        r"(?:started|starting|began|begin|was|is|kept) smok\w+", r"smoke (?:came|coming|pouring|everywhere)",
        r"spark(?:ed|s|ing)\b", r"overheat\w*", r"(?:super|really|very|extremely|too) hot to (?:touch|hold)",
        r"(?:got|gets|getting|became) (?:super|really|very|extremely|dangerously) hot", r"melt(?:ed|ing)\b",
        r"(?:exploded|blew up)", r"electric(?:al)? shock", r"shocked me", r"electrocut\w*",
        r"(?:piece|pieces|shard|shards|bits?) of (?:glass|metal|plastic|wire)", r"(?:glass|metal|needle) (?:in|inside) (?:the|my|it)",
        r"swallow(?:ed|s)?\b", r"chok(?:ed|ing|es)\b",
        r"(?:at|in|to) the (?:er|e\.r\.|emergency room|hospital|a&e|urgent care)", r"heading to (?:the )?(?:hospital|er)",
        r"ambulance", r"poison control", r"\b911\b", r"stitches", r"injur(?:ed|y|ies)", r"bleed\w*",
        rf"(?:cut|sliced|hurt|injured|broke) {_PERSON} (?:hand|finger|foot|leg|arm|mouth|face|head|wrist|tooth)",
        r"rash\b", r"brakes? (?:failed|fail|gave out)",
    ),
    "violence": (
        r"kill (?:you|him|her|them|everyone|everybody|myself|your)", r"kill myself", r"end (?:it all|my life)",
        r"suicid\w*", r"(?:don'?t|do not) (?:want to|wanna) (?:live|be alive|be here)", r"point (?:of|in) living",
        r"no reason to live", r"hurt (?:myself|someone|somebody|you|him|her|people|your staff|them)\b",
        r"(?:someone|somebody)(?:'s| is)? (?:gonna |going to )?get(?:ting)? hurt",
        r"watch (?:your|his|her|their) back", r"\bguns?\b", r"shoot\w*", r"stab\w*", r"bomb threat",
        r"burn (?:your|the|this|that) [\w ]{0,20}down", r"burn it (?:all )?down",
        r"smash (?:everything|your|the place|it all)",
        r"(?:punched|hit|attacked|assaulted|beat up|slapped|kicked|shoved|pushed) (?:me|him|her|us|someone|somebody|(?:my|our|a|the|an|one of your|your) (?:\w+ )?(?:cashier|staff|worker|employee|father|mother|dad|mom|son|daughter|man|woman|customer|kid|child|friend|wife|husband|brother|sister|driver|manager|guard|grandma|grandpa|baby))\b",
        r"(?:a |there was a )fight (?:in|at|broke out)", r"(?:know|find out|found out|learn\w*) where (?:you|your|he|she|they|the)\b[\w ]{0,15}(?:live|work)s?",
        r"threaten\w*", r"show up at (?:your|the) [\w ]{0,15}(?:and|with)",
    ),
    "security": (
        r"hack(?:ed|er|ers|ing)?\b", r"(?:someone|somebody) (?:got|logged|broke|has been|keeps logging) (?:into|in to|in)",
        r"(?:log[- ]?in|sign[- ]?in) (?:alert|attempt|notification)s?", r"(?:logged|signed) in from",
        r"(?:password|email|e-mail|phone number) (?:was|got|has been) changed", r"changed (?:my|the) (?:password|email)",
        r"unauthori[sz]ed", r"fraud\w*", r"phishing", r"scam(?:mer|mers)? (?:page|site|account|text|email|link|call)",
        r"fake (?:page|site|account|website|store|shop|instagram|facebook|profile|app|support)",
        r"impersonat\w*", r"(?:otp|verification|one[- ]time|security|2fa) code", r"(?:card|bank) (?:number|pin|details)",
        r"(?:is|was) (?:this|that|it) (?:legit|real|you)\b", r"(?:is|are) (?:this|these|that) (?:site|page|account|link)s? (?:yours|legit|real)",
        r"stole (?:my|the)", r"stolen", r"compromised", r"(?:never|didn'?t|did not) (?:make|made|place|placed|order|ordered|spend|spent|buy|bought|authori[sz]e\w*)\b(?=[^.!?]{0,40}(?:card|charge|order|account|balance|statement|\$))",
        r"(?:charges?|orders?|purchases?|transactions?) (?:on my (?:card|account) )?(?:that )?i (?:never|didn'?t|did not) (?:make|made|place|placed|buy|bought)",
        r"i (?:didn'?t|did not|never) (?:buy|order|purchase|make) (?:this|these|that|them|it)",
        r"(?:using|used|drained|emptied) my (?:account|card|gift card|points|balance)", r"(?:points|balance|credits) (?:were|was|got) (?:redeemed|used|drained|stolen|emptied)",
    ),
    "privacy": (
        r"(?:my|our|her|his) (?:full )?(?:name|phone(?: number)?|number|home address|address|email|order (?:number|details)|tracking number|card details|medical \w+|prescription\w*|passport|id)\b[^.!?]{0,60}\b(?:visible|exposed|public(?:ly)?|posted|leaked|printed|shown|showing|for everyone|everyone can see)",
        r"(?:visible|exposed|posted|leaked|published|printed|shared) [^.!?]{0,30}\b(?:my|our) (?:full )?(?:name|phone|number|address|email|order|data|info|details|medical|prescription)",
        r"(?:someone else'?s|somebody else'?s|another (?:person|customer)'?s|other (?:customers|people)'?s?) (?:\w+ )?(?:invoice|order|address|details|info|data|passport|emails?|history|receipt|prescription|package|parcel|card|name|phone)",
        r"(?:data|info|information|details|emails?|addresses|records|privacy) (?:leak\w*|breach\w*)",
        r"leak(?:ed|ing|s)? (?:my|our|customers?'?|personal|the|people'?s) (?:\w+ )?(?:data|info|information|details|emails?|address\w*|numbers?)",
        r"(?:that'?s|this is|it'?s|is this|isn'?t this) (?:a |an )?(?:data |privacy )?(?:leak|breach)", r"\bdox\w*",
        r"(?:gave|sold|shared|leaked|posted|published) (?:out )?(?:my|our) (?:phone|number|email|address|data|info|information|details|photo|picture|medical)",
        r"(?:photo|picture|video) of (?:my|our) (?:house|home|address|face|kids?|door)",
        r"(?:has|with|shows?|showing|includes?|included|contains?) my (?:full )?(?:name|phone(?: number)?|home address|address|order number|tracking number|street address|card)",
        r"(?:privacy|personal (?:data|information|info)) (?:breach|violation|exposed|leak)",
    ),
    "legal": (
        r"(?:my|our) (?:lawyer|attorney|solicitor|legal (?:team|counsel|department))s?\b(?! (?:cousin|friend|mom|dad|sister|brother|aunt|uncle|told|recommended|says you))",
        r"(?:talk(?:ed)?|spoke|speak|speaking|consult\w*) (?:to|with) (?:my |a |an )?(?:lawyer|attorney|solicitor)",
        r"(?:hire|hiring|hired|get|getting|call|calling) (?:a |an )?(?:lawyer|attorney|solicitor)",
        r"(?:will|going to|gonna|'ll|i'll|plan to|intend to) sue\b", r"\bsuing\b", r"\bsued\b", r"lawsuit", r"class action",
        r"small claims", r"(?:take|taking|see|sue|drag\w*) (?:you|them|this|your \w+)(?: guys)? (?:to|in) court",
        r"(?:file|filing|filed)[^.!?]{0,25}\bcourt\b", r"charge ?back", r"disput(?:e|ing|ed) (?:the|this|a|my|these|all)[^.!?]{0,10}(?:charges?|transactions?|payments?)",
        r"demand letter", r"cease and desist", r"legal (?:action|notice|proceedings|steps)", r"formal (?:notice|complaint)",
        r"better business bureau", r"\bbbb\b", r"consumer (?:protection|agency|affairs|rights (?:agency|board))",
        r"(?:not legal|illegal|unlawful)", r"breach of contract", r"false advertising",
    ),
    "regulator": (
        r"\bfda\b", r"\bftc\b", r"\bcpsc\b", r"\bfaa\b", r"\bsec\b(?= filing| complaint)",
        r"health (?:department|dept|inspector\w*|authorit\w*|board)", r"food (?:safety|standards) (?:agency|authority|inspector\w*|office)",
        r"consumer product safety", r"data protection (?:authority|regulator|office|commission\w*)", r"trading standards",
        r"attorney general", r"environmental (?:agency|protection|regulator)", r"aviation authority", r"regulators?\b",
        r"(?:government|federal|state|county|city) (?:agency|inspector\w*|inspection|office|official)", r"inspector'?s office",
        r"recall notice", r"(?:labell?ing|safety) regulations",
    ),
    "harassment": (
        r"racial slur", r"\bslurs?\b", r"racis[mt]", r"discriminat\w*", r"sexual(?:ly)? harass\w*", r"harass\w*",
        r"because (?:i'?m|i am|we'?re|she'?s|he'?s) (?:black|asian|gay|trans|a woman|a girl|disabled|muslim|jewish|old|in a wheelchair|deaf|blind|foreign|fat|latin[oa])",
        r"because of (?:my|her|his|our) (?:race|skin|accent|religion|disability|wheelchair|age|hijab|weight|gender)",
        r"(?:mocked|made fun of|laughed at|insulted|yelled at|screamed at|swore at|cursed at|spat at|humiliated) (?:me|my|her|him|us|our)",
        r"called (?:me|her|him|us|my \w+) (?:a |an )?(?:stupid|idiot|names|fat|ugly|the n|slur)", r"creepy",
        r"inappropriate(?:ly)? (?:touch\w*|comments?|messages?|remarks?)", r"touched (?:me|her|him|my)",
        r"go back to (?:my|your|her|his|their) (?:own )?country", r"comments? about (?:my|her|his) (?:body|weight|looks|appearance|race|skin)",
        r"refused to serve (?:me|us|her|him)", r"followed (?:me|us|her|him) around", r"insulting", r"without (?:my|her|his) consent",
    ),
    "press": (
        r"(?:i'?m|i am|this is|we are|we're)\b[^.!?]{0,30}\b(?:reporter|journalist|producer|correspondent|editor|writer|columnist)\b(?! student)",
        r"(?:reporter|journalist|producer|correspondent|editor|writer|columnist)s? (?:here|with|at|for|from)\b",
        r"(?:press|media) (?:contact|inquir\w*|enquir\w*|request|team|office|kit|relations)", r"\bpr contact",
        r"for (?:a |your )?comment", r"on[- ]record", r"(?:an? |official |public )statement (?:from|on|about|regarding)", r"(?:love|like|request\w*|need|get|want) (?:a |an )?(?:official )?statement", r"newsroom", r"spokes(?:person|man|woman)",
        r"(?:working on|writing|running|doing|preparing|researching) (?:a |an )?(?:story|piece|article|segment|report|feature|investigation|investigative)",
        r"interview (?:someone|you|your|a)", r"(?:cover|covering) [\w ]{0,20}for (?:a|the|our) (?:local |national )?(?:paper|newspaper|magazine|outlet|station|podcast|show)",
        r"(?:i |we )?cover \w+ for", r"investigative",
    ),
    "viral": (
        r"boycott\w*", r"(?:is|it'?s|this is|it is) going viral", r"(?:has|have|has now) gone viral",
        r"\d[\d,.]*\s?(?:k|m|million|thousand)?\+? (?:views|retweets|rts|shares|likes|followers|subscribers|reposts|comments)",
        r"trending", r"front page", r"blowing up", r"\binfluencer", r"creators? (?:i know|friends)", r"go(?:ing)? live",
        r"(?:all )?my followers", r"\bunfollow\w*", r"(?:stitch|duet)(?:ing|ed)? this", r"(?:thread|post|video|tiktok|reel) (?:about|on) (?:you|your|this)",
        r"people need to see", r"posting (?:a |this |about )",
    ),
}

KOREAN: dict[str, tuple[str, ...]] = {
    "safety": (
        r"알[레러]르?기(?:성)?반응", r"알[레러]르?기가?(?:생|올라|일어|났|나서|터)", r"두드러기", r"아나필락", r"에피펜",
        r"(?:입술|얼굴|눈|혀|목|입안|손|피부|눈두덩|볼)[이가은는도]?.{0,4}(?:붓|부었|부어|퉁퉁|빨갛|빨개|화끈)", r"부어오르|부어올",
        r"숨(?:쉬기|을|이|쉬는)?.{0,3}(?:힘들|막히|막혀|못쉬|안쉬|가빠|차)", r"호흡곤란", r"식중독", r"구토", r"토했|토하|토를",
        r"설사", r"배탈", r"복통", r"화상(?!회의|통화|채팅|미팅|수업|강의|카메라|면접|으로)", r"물집", r"화끈거", r"데였|데어서|데임",
        r"연기[가도]?(?:나|났|피어|올라)", r"타는냄새|탄냄새", r"불[이이]?(?:났|나서|나고|날뻔|붙었|붙어서|붙더)", r"불꽃", r"발화",
        r"폭발(?!적)(?:했|해서|하|함|사고|음)?", r"펑(?:소리|하고|하면서|터)", r"과열", r"뜨거워(?:져|서|지더)", r"녹았|녹아내|녹아서",
        r"그을[렸음리]", r"감전", r"전기가통", r"스파크",
        r"(?:유리|쇳|금속|플라스틱|칼날|바늘|철사|나사)(?:조각|가루|파편)", r"이물질", r"삼켰|삼켜", r"질식", r"목에걸",
        r"응급실", r"구급차", r"119", r"병원(?:에)?(?:가는|갔|다녀|실려|입원|가야|왔)", r"입원", r"골절", r"깁스", r"꿰맸|꿰매",
        r"베였|베여|베임", r"피[가도]?(?:나|났|철철)", r"다쳤|다쳐|부상", r"발진", r"진물",
    ),
    "violence": (
        r"죽고싶", r"살기싫", r"극단적(?:인)?선택", r"자살", r"죽여(?:버|야|줄|주)", r"죽이(?:겠|러|고싶|고말)", r"죽일(?:거|꺼|겁|테|까)",
        r"때려(?:부|죽|버)", r"부숴버|부술(?:거|겁|꺼)", r"불(?:을)?질러|불지르|불지를", r"칼(?:들고|로찌|을들|가지고)", r"흉기", r"폭행",
        r"찾아가서.{0,10}(?:부|때|죽|가만)", r"집.{0,10}찾아(?:가|갈|간|옴)", r"밤길조심", r"가만(?:안|두지않|안둬|안둔|두지않)",
        r"(?:목숨|생)을?끊", r"모든게끝났", r"살해", r"협박",
    ),
    "security": (
        r"해킹", r"도용", r"무단(?:결제|사용|로그인|접속)", r"(?:결제|주문|구매|사용)한적(?:이)?없", r"(?:산|쓴|시킨)적(?:이)?없",
        r"모르는(?:주문|결제|주소|기기|로그인)", r"사칭", r"피싱", r"스미싱", r"가짜(?:쇼핑몰|사이트|계정|페이지|앱|홈페이지)",
        r"인증번호[를을]?.{0,4}(?:알려|달라|요구|보내|물어)", r"(?:카드)?비밀번호[를을]?(?:입력|알려|요구|달라)", r"(?:해외|외국)에서.{0,6}(?:로그인|접속|결제)",
        r"(?:비밀번호|비번|이메일)[을를]?바꾼적(?:이)?없", r"(?:적립금|포인트|잔액|기프트카드|예치금)[이가은는]?.{0,6}(?:사라|없어졌|빠져|털)",
        r"(?:제|내)(?:아이디|계정)으?로(?:누가|누군가)?", r"누가.{0,4}(?:로그인|접속)", r"계좌이체[를을]?받",
        r"빠져나갔", r"털렸",
    ),
    "privacy": (
        r"개인정보[가를이]?.{0,6}(?:유출|노출|공개|팔|넘|올|털)", r"유출", r"노출",
        r"(?:주소|전화번호|번호|연락처|실명|이름|주민번호|주민등록번호|주문번호|주문내역|처방전|얼굴|사진)[이가을를도랑]?.{0,12}(?:공개|보여|보이|적힌|찍혀|올렸|올리|박제|그대로|다나와|다보)",
        r"(?:다른사람|남의|다른고객|타인|다른분)[의들]?.{0,4}(?:주소|연락처|송장|주문|처방전|정보|개인정보|택배|영수증)",
        r"동의(?:도)?없이.{0,10}(?:사진|광고|개인정보|번호|얼굴|영상)", r"단톡방에(?:올|공유)", r"신상(?:털|공개)",
    ),
    "legal": (
        r"변호사(?:랑|와|한테|님과|에게|를|님께)?.{0,2}(?:상담|선임|통해|의뢰|자문|만나)", r"법무법인.{0,6}(?:통해|선임|의뢰|에서연락)", r"내용증명",
        r"소송[을을]?(?:걸|진행|하겠|할|준비|제기|예정|들어|갈|불사|합니다|중)", r"(?:소액|집단|민사|형사)소송", r"고소(?:하겠|할(?:거|게|겁|예정|생각|려고|꺼)|합니다|했|장|진행|예정|당|하려|하기로|할께)",
        r"고발", r"법적(?:인)?(?:대응|조치|절차|책임|으로)", r"(?:한국)?소비자원", r"소보원", r"공정위", r"공정거래위원회", r"소비자보호",
        r"피해구제", r"이의제기", r"차지백", r"카드사에.{0,10}(?:이의|취소|신고|민원|분쟁)", r"손해배상", r"진정서",
        r"경찰(?:에|서에)?.{0,4}(?:신고|진정|고소)", r"허위광고|과대광고", r"위자료",
    ),
    "regulator": (
        r"식약처", r"식품의약품안전처", r"위생과", r"보건소", r"(?:구청|시청|군청).{0,4}(?:민원|신고|위생)", r"개인정보보호위원회|개인정보위|개보위",
        r"국민신문고", r"방통위|방송통신위원회", r"환경부|환경청", r"국토부|국토교통부", r"과기부|과기정통부|전파인증", r"공무원",
        r"행정처분", r"회수명령|리콜대상|리콜명령", r"금감원|금융감독원", r"노동부|고용노동부", r"식품안전", r"민원(?:넣|접수|제기)",
    ),
    "harassment": (
        r"인종차별", r"차별", r"성희롱", r"성추행", r"욕설", r"욕(?:을|하|했|먹)", r"반말", r"막말", r"비웃", r"조롱", r"놀렸|놀리",
        r"무시(?:하는|당|했|하더)", r"소리(?:를)?(?:지르|질러|쳤)", r"외모(?:가지고|를|로|비하|지적)", r"몸[을를]?만지|만졌", r"수군",
        r"(?:입장|출입)[을를]?거부", r"들어오지말", r"쫓아내|쫓아냈|쫓겨", r"사적(?:으로|인)?.{0,6}(?:연락|카톡|문자|전화|메시지)",
        r"(?:외국인|장애인|여자|남자|아줌마|노인|흑인|동남아)이?라고", r"휠체어(?:탔다고|라서|때문에)", r"나이[가]?많다고", r"갑질",
    ),
    "press": (
        r"기자(?:입니다|인데|예요|이에요|님|분|로서|로일|입니|라서|이고)(?!들사이|회견)", r"(?:방송)?작가(?:입니다|인데|예요|이에요)", r"(?:pd|피디)(?:입니다|인데|예요|이에요)",
        r"취재", r"언론(?:사|보도|에서)", r"보도(?:예정|자료|하려|할|될)", r"인터뷰(?:요청|부탁|가능)", r"제작진", r"에디터(?:입니다|인데)",
        r"공식(?:입장|해명)", r"입장(?:을)?(?:여쭙|부탁|듣고|표명)", r"코멘트", r"질의서", r"홍보(?:팀|담당|실)", r"(?:회사|브랜드)측",
    ),
    "viral": (
        r"불매(?!하던|했던)", r"공론화", r"난리(?:났|나|남)", r"(?:조회수|구독자|팔로워|좋아요|리트윗|공유)[가이]?\d", r"\d+(?:만|천|k|m)?(?:명)?(?:조회|구독자|팔로워|리트윗|공유|뷰)",
        r"댓글[이가]?.{0,2}(?:천|만|\d{3})", r"실트|실검|핫게|인기글|베스트글|메인에(?:떴|올)", r"인플루언서", r"맘카페|커뮤니티에",
        r"라이브에서.{0,10}(?:얘기|말|공개|이야기)", r"영상으로(?:올|만들|박제)", r"(?:다|주변에|sns에|여기저기).{0,4}(?:알릴|퍼뜨|퍼트)", r"리트윗", r"박제",
    ),
}

GUARDS_ENGLISH: tuple[str, ...] = (
    # Praise and jokes that borrow the words of danger.
    r"(?:straight |pure |absolute |literally |so |is |was |are )fire\b", r"fire (?:pit|blanket|extinguisher|emoji|sale)\w*",
    r"\bfire\s*🔥", r"killing it", r"killin'? it", r"killed it", r"(?:i'?d|would) kill for", r"(?:nearly|almost|basically) killed me",
    r"killer\b", r"to die for", r"dying (?:to|for)\b", r"i'?m dying", r"i'?m dead\b", r"dead 💀", r"murdered me", r"slay\w*",
    r"(?:a|the) bomb\b", r"da bomb", r"explo\w+ (?:flavou?r|taste)", r"(?:flavou?r|taste) explosion", r"explosive(?:ly)?",
    r"(?:gonna|going to) explode", r"crash the (?:party|launch)", r"(?:got|get|been) burned by",
    r"blowing up my (?:phone|feed)", r"(?:i'?d|would) sue you for", r"(?:blog|instagram|page) post\b",
    # People who mention a profession without acting in it.
    r"(?:lawyer|attorney|reporter|journalist|editor|producer) (?:friend|cousin|mom|dad|sister|brother|aunt|uncle)",
    r"(?:is|was|she'?s|he'?s|as) an? (?:lawyer|attorney|reporter|journalist)", r"journalism student", r"(?:the|a) reporter on (?:tv|the news)",
    r"court (?:shoes?|date)", r"(?:your|the) post went viral", r"boycott(?:ing)? (?:every|all) other",
    r"no (?:allergic )?reaction", r"not a single (?:allergic )?reaction", r"(?:zero|no) (?:issues|problems)",
    r"chok(?:ed|ing) (?:with|on) (?:laughter|my laugh)", r"stole my heart", r"(?:need|needed) an ambulance lol",
    r"on fire in the best way", r"(?:mouth|tongue) on fire (?:in the best|lol|😂|🔥)",
    r"security guard\b", r"press (?:the|a|it|this|and)\b", r"press-on",
)

GUARDS_KOREAN: tuple[str, ...] = (
    r"죽는줄", r"죽을(?:때까지|만큼|것같|듯|뻔)", r"죽겠(?:다|어|네)", r"존맛", r"살인적", r"치명적", r"저격", r"폭발적", r"인기폭발", r"대박터",
    r"배터지", r"심장터", r"불맛", r"불타는맛", r"고소한|고소하[고게며니다]|고소해|고소함", r"화상(?:회의|통화|채팅|미팅|수업|강의|카메라|면접)",
    r"신고식", r"기자회견", r"기자지망", r"신문방송", r"변호사친구|법무법인다니", r"입소문", r"바이럴광고", r"(?:반응|트러블)[이가]?(?:전혀|하나도)?없",
    r"(?:유튜버|인플루언서)(?:추천|가추천)", r"폭탄세일", r"총알", r"칼같이", r"킬러", r"다이어트.{0,6}죽을뻔",
    # Slang of feelings and looks built on words of crime and danger.
    r"(?:심장|지갑|통장|영혼)[이을가]?(?:털|폭행|저격|도둑)", r"(?:감동|광|땀|화|조회수|식욕|귀여움|텐션|포텐|맛)[이가]?폭발",
    r"숨막히게(?:예쁘|이쁘|귀엽|멋)", r"(?:유출샷|스포유출|스포가유출|신상유출)", r"화상(?:상담|통화|진료)", r"불꽃놀이", r"피부상(?:담|태)",
    r"(?:주소|번호|이름)[가이]?(?:안보이게|안보이도록|가려서|가리고)",
)
