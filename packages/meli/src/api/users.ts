import { MeliUser } from '../schemas';
import { assertMeliId, callMeli, type MeliContext, type MeliResponse } from '../transport';

/** The seller behind the token: `GET /users/me` (site, tags such as `user_product_seller`, status). */
export async function getMe(context: MeliContext): Promise<MeliResponse<MeliUser>> {
  return callMeli(context, { method: 'GET', path: '/users/me', operation: 'users.me' }, MeliUser);
}

/** A user's profile: `GET /users/{id}` (private fields only for the token's own user). */
export async function getUser(context: MeliContext, userId: string): Promise<MeliResponse<MeliUser>> {
  assertMeliId(userId, 'userId');
  return callMeli(context, { method: 'GET', path: `/users/${userId}`, operation: 'users.get' }, MeliUser);
}
